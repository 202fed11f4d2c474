"""HTTP routes of imports: upload a CSV or XLSX of volunteers or teams, follow its progress."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, HTTPException, Request

from civiloop_volunteers.adapters.imports import ImportJobs
from civiloop_volunteers.app.common import new_id
from civiloop_volunteers.app.imports import (
    import_team,
    import_volunteer,
    import_volunteers,
    read_csv,
    read_xlsx,
    run_import,
)
from civiloop_volunteers.entrypoints.access import Importer, ImportReader

router = APIRouter(prefix="/api/v1/volunteers/imports", tags=["imports"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WORK = {"volunteers": import_volunteer, "teams": import_team}
CHUNKS = {"volunteers": import_volunteers}  # kinds applied a whole chunk at a time
MAX_BYTES = 20 * 1024 * 1024


@router.post("/{kind}", status_code=202,
             summary="Import volunteers or teams: body is the CSV (text/csv) or XLSX file")
async def start_import(kind: str, caller: Importer, request: Request) -> dict[str, Any]:
    """The job's id and row count; rows are applied in the background, see GET for progress."""
    if kind not in WORK:
        raise HTTPException(404, f"nothing to import as {kind!r} (volunteers or teams)")
    data = await request.body()
    if not data or len(data) > MAX_BYTES:
        raise HTTPException(422, "body: send the file (at most 20 MB)")
    is_xlsx = request.headers.get("content-type", "").startswith(XLSX)
    try:
        rows = read_xlsx(data) if is_xlsx else read_csv(data)
    except Exception as exc:  # a file we cannot read is the caller's to fix
        raise HTTPException(422, f"body: not a readable {'XLSX' if is_xlsx else 'CSV'} file "
                                 f"({type(exc).__name__})") from None
    runtime = request.app.state.runtime
    jobs, import_id = ImportJobs(runtime.database), new_id("imp")
    await jobs.create(import_id, kind, len(rows), caller.subject)
    task = asyncio.create_task(run_import(jobs, runtime.unit_of_work, import_id, caller, rows,
                                          WORK[kind], CHUNKS.get(kind)))
    background: set[asyncio.Task[None]] = request.app.state.__dict__.setdefault("imports", set())
    background.add(task)  # keep a reference until done, or the task may be collected
    task.add_done_callback(background.discard)
    return {"import_id": import_id, "kind": kind, "total": len(rows), "status": "running"}


@router.get("/{import_id}", summary="An import's progress and per-row report")
async def report(import_id: str, caller: ImportReader, request: Request,
                 refused_only: bool = False) -> dict[str, Any]:
    """Counts so far and each row's outcome: accepted (with the new id) or refused (why)."""
    found = await ImportJobs(request.app.state.runtime.database).report(
        import_id, refused_only=refused_only)
    if found is None:
        raise HTTPException(404, f"import {import_id} does not exist")
    if found["started_by"] != caller.subject and not caller.scope.everywhere:
        raise HTTPException(403, f"import {import_id} was started by someone else")
    return found

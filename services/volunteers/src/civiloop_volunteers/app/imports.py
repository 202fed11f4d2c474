"""Importing volunteers and teams from a spreadsheet, row by row, with a report per row.

Each row is registered through the same use case as the HTTP form, so dedup and access
rules are the same. Rows are applied ``BATCH`` to a transaction (a refused row refuses only
itself: every use case refuses before it writes); should a batch's transaction fail, its
rows are applied one by one. Progress is written after every batch.
"""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from pydantic import ValidationError

from civiloop_contracts.values import UnitRef
from civiloop_platform.auth import Principal
from civiloop_platform.logs import get_logger
from civiloop_volunteers.adapters.imports import ImportJobs
from civiloop_volunteers.adapters.unit_of_work import VolunteersUnitOfWork as Uow
from civiloop_volunteers.app.registry import register_team, register_volunteer
from civiloop_volunteers.domain.errors import DomainError, Invalid
from civiloop_volunteers.domain.imports import TeamRow, team_from_row, volunteer_from_row
from civiloop_volunteers.domain.teams import NewTeam

BATCH = 50
log = get_logger(__name__)
RowWork = Callable[[Uow, Principal, dict[str, Any]], Awaitable[str]]


def read_csv(data: bytes) -> list[dict[str, Any]]:
    """Rows of a CSV file (UTF-8, with or without BOM, or GB18030 from older spreadsheets)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030")
    return list(csv.DictReader(io.StringIO(text)))


def read_xlsx(data: bytes) -> list[dict[str, Any]]:
    """Rows of the first sheet of an XLSX workbook, the first row naming the columns."""
    from openpyxl import load_workbook  # type: ignore[import-untyped]  # XLSX uploads only

    sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(h) if h is not None else "" for h in next(rows, ())]
    return [dict(zip(header, row, strict=False)) for row in rows if any(c is not None for c in row)]


async def import_volunteer(uow: Uow, principal: Principal, raw: dict[str, Any]) -> str:
    """Register the volunteer of one row; their new id."""
    return (await register_volunteer(uow, principal, volunteer_from_row(raw))).volunteer_id


async def import_team(uow: Uow, principal: Principal, raw: dict[str, Any]) -> str:
    """Form the team of one row, its people named by volunteer number; the new team id."""
    row: TeamRow = team_from_row(raw)
    numbers = [n for n in [row.leader_number, *row.member_numbers] if n]
    known = {v.volunteer_number: v.volunteer_id for v in await uow.volunteers.by_numbers(numbers)}
    missing = [n for n in numbers if n not in known]
    if missing:
        raise Invalid(f"member_numbers: no volunteer numbered {', '.join(missing)}")
    try:
        new = NewTeam(name=row.name, specialty=row.specialty, platform=row.platform,
                      unit=UnitRef.model_validate(row.unit), organisation_id=row.organisation_id,
                      leader_id=known.get(row.leader_number or ""),
                      member_ids=[known[n] for n in row.member_numbers],
                      stations_covered=row.stations_covered)
    except ValidationError as exc:
        raise Invalid(f"{'.'.join(map(str, exc.errors()[0]['loc']))}: "
                      f"{exc.errors()[0]['msg']}") from None
    return (await register_team(uow, principal, new)).team_id


async def run_import(jobs: ImportJobs, uow_factory: Callable[[], Uow], import_id: str,
                     principal: Principal, rows: Iterable[dict[str, Any]], work: RowWork) -> None:
    """Apply every row, writing the report as it goes; a failure stops the job, said so."""
    outcomes: list[dict[str, Any]] = []
    numbered = list(enumerate(rows, start=2))  # row 1 holds the column names
    try:
        for start in range(0, len(numbered), BATCH):
            outcomes = await _batch(uow_factory, principal, numbered[start:start + BATCH], work)
            await jobs.progress(import_id, outcomes)
            outcomes = []
        await jobs.finish(import_id, "done")
    except asyncio.CancelledError:  # the replica is stopping: say how far the job got
        await jobs.progress(import_id, outcomes)
        await jobs.finish(import_id, "interrupted", "the service stopped; re-upload the rest")
        raise
    except Exception as exc:  # MongoDB away: the report says how far it got
        log.exception("import failed", import_id=import_id)
        await jobs.progress(import_id, outcomes)
        await jobs.finish(import_id, "failed", repr(exc))


async def _batch(uow_factory: Callable[[], Uow], principal: Principal,
                 rows: list[tuple[int, dict[str, Any]]], work: RowWork) -> list[dict[str, Any]]:
    """The outcomes of ``rows`` applied in one transaction, else one transaction each."""
    async def apply(uow: Uow) -> list[dict[str, Any]]:
        return [await _outcome(number, work(uow, principal, raw)) for number, raw in rows]
    try:
        return await uow_factory().run(apply)
    except Exception:  # a write conflict, a duplicate raced in: row by row says which
        log.warning("import batch retried row by row", rows=len(rows))
    return [await _outcome(number, _alone(uow_factory, principal, raw, work))
            for number, raw in rows]


async def _alone(uow_factory: Callable[[], Uow], principal: Principal, raw: dict[str, Any],
                 work: RowWork) -> str:
    """One row in its own transaction."""
    return await uow_factory().run(lambda uow: work(uow, principal, raw))


async def _outcome(number: int, applied: Awaitable[str]) -> dict[str, Any]:
    try:
        created = await applied
    except DomainError as exc:
        return {"row": number, "status": "refused", "reason": str(exc)}
    return {"row": number, "status": "accepted", "id": created}

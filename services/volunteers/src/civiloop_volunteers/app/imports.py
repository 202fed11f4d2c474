"""Importing volunteers and teams from a spreadsheet, with a report per row.

Rows are applied a chunk to a transaction (``CHUNK`` volunteers, ``BATCH`` teams). A
volunteers' chunk is validated in Python, checked for people registered before with one
read and written with one ``insert_many`` (its events with one more, into the outbox); team
rows go through the same use case as the HTTP form, one after the other. A refused row
refuses only itself; should a chunk's transaction fail (a duplicate raced in), its rows are
applied one by one, each through the HTTP form's use case. Progress is written per chunk.
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
from civiloop_volunteers.app.registry import (
    register_team,
    register_volunteer,
    register_volunteers,
)
from civiloop_volunteers.domain.errors import DomainError, Invalid
from civiloop_volunteers.domain.imports import TeamRow, team_from_row, volunteer_from_row
from civiloop_volunteers.domain.teams import NewTeam
from civiloop_volunteers.domain.volunteer import NewVolunteer

BATCH = 50
CHUNK = 500  # volunteers: one read and two inserts a chunk, so larger chunks pay off
log = get_logger(__name__)
RowWork = Callable[[Uow, Principal, dict[str, Any]], Awaitable[str]]
Numbered = list[tuple[int, dict[str, Any]]]
ChunkWork = Callable[[Uow, Principal, Numbered], Awaitable[list[dict[str, Any]]]]


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


async def import_volunteers(uow: Uow, principal: Principal,
                            rows: Numbered) -> list[dict[str, Any]]:
    """The outcome of each row of a chunk: bad rows refused alone, the rest in one write."""
    outcomes: dict[int, dict[str, Any]] = {}
    valid: list[tuple[int, NewVolunteer]] = []
    for number, raw in rows:
        try:
            valid.append((number, volunteer_from_row(raw)))
        except DomainError as exc:
            outcomes[number] = _refused(number, exc)
    registered = await register_volunteers(uow, principal, [new for _, new in valid])
    for (number, _), result in zip(valid, registered, strict=True):
        outcomes[number] = (_refused(number, result) if isinstance(result, DomainError)
                            else _accepted(number, result.volunteer_id))
    return [outcomes[number] for number, _ in rows]


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
                     principal: Principal, rows: Iterable[dict[str, Any]], work: RowWork,
                     chunk: ChunkWork | None = None) -> None:
    """Apply every row, writing the report as it goes; a failure stops the job, said so.

    With ``chunk``, each chunk of rows is applied by it in one transaction; else ``work``
    applies the rows of a batch one after the other.
    """
    outcomes: list[dict[str, Any]] = []
    numbered = list(enumerate(rows, start=2))  # row 1 holds the column names
    size = CHUNK if chunk is not None else BATCH
    try:
        for start in range(0, len(numbered), size):
            outcomes = await _batch(uow_factory, principal, numbered[start:start + size],
                                    work, chunk)
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


async def _batch(uow_factory: Callable[[], Uow], principal: Principal, rows: Numbered,
                 work: RowWork, chunk: ChunkWork | None) -> list[dict[str, Any]]:
    """The outcomes of ``rows`` applied in one transaction, else one transaction each."""
    async def apply(uow: Uow) -> list[dict[str, Any]]:
        if chunk is not None:
            return await chunk(uow, principal, rows)
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
        return _refused(number, exc)
    return _accepted(number, created)


def _refused(number: int, why: DomainError) -> dict[str, Any]:
    return {"row": number, "status": "refused", "reason": str(why)}


def _accepted(number: int, created: str) -> dict[str, Any]:
    return {"row": number, "status": "accepted", "id": created}

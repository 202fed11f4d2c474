"""Import jobs: progress and the per-row report, outside any transaction (one row, one write)."""

from __future__ import annotations

from typing import Any

from civiloop_contracts.envelope import utcnow
from civiloop_platform.store.database import ServiceDatabase


class ImportJobs:
    """The ``imports`` collection (one document per job) and ``import_rows`` (its report)."""

    def __init__(self, database: ServiceDatabase) -> None:
        self.jobs, self.rows = database.db["imports"], database.db["import_rows"]

    async def create(self, import_id: str, kind: str, total: int, started_by: str) -> None:
        """A job about to run over ``total`` rows."""
        await self.jobs.insert_one({
            "_id": import_id, "kind": kind, "status": "running", "total": total, "done": 0,
            "accepted": 0, "refused": 0, "started_by": started_by, "started_at": utcnow()})

    async def progress(self, import_id: str, outcomes: list[dict[str, Any]]) -> None:
        """Store a batch of row outcomes and move the counters on."""
        if not outcomes:
            return
        await self.rows.insert_many([{"_id": f"{import_id}:{o['row']}", "import_id": import_id,
                                      **o} for o in outcomes])
        accepted = sum(1 for o in outcomes if o["status"] == "accepted")
        await self.jobs.update_one({"_id": import_id}, {"$inc": {
            "done": len(outcomes), "accepted": accepted, "refused": len(outcomes) - accepted}})

    async def finish(self, import_id: str, status: str, error: str | None = None) -> None:
        """Mark the job done (or failed, with why)."""
        await self.jobs.update_one({"_id": import_id}, {"$set": {
            "status": status, "error": error, "finished_at": utcnow()}})

    async def report(self, import_id: str, *, refused_only: bool) -> dict[str, Any] | None:
        """The job and its rows (refused rows only, if asked), or None."""
        job = await self.jobs.find_one({"_id": import_id})
        if job is None:
            return None
        query: dict[str, Any] = {"import_id": import_id}
        if refused_only:
            query["status"] = "refused"
        rows = [{k: v for k, v in r.items() if k not in ("_id", "import_id")}
                async for r in self.rows.find(query, sort=[("row", 1)])]
        return {"import_id": job.pop("_id"), **job, "rows": rows}

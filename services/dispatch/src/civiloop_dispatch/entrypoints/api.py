"""HTTP routes of the dispatch service (beside /healthz, /readyz and /metrics from the platform)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1/dispatch", tags=["dispatch"])

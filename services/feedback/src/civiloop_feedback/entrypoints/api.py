"""HTTP routes of the feedback service (beside /healthz, /readyz and /metrics from the platform)."""

from __future__ import annotations

from fastapi import APIRouter

from civiloop_feedback.entrypoints import (
    activity_ratings_api,
    follow_ups_api,
    live_api,
    ratings_api,
    satisfaction_api,
)

router = APIRouter(prefix="/api/v1/feedback", tags=["feedback"])
router.include_router(ratings_api.router)
# Before the follow-ups: /follow-ups/{follow_up_id} would take "live" for an id.
router.include_router(live_api.router)
router.include_router(follow_ups_api.router)
router.include_router(satisfaction_api.router)
router.include_router(activity_ratings_api.router)

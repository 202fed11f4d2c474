"""HTTP routes of the requests service (beside /healthz, /readyz and /metrics from the platform)."""

from __future__ import annotations

from fastapi import APIRouter

from civiloop_requests.entrypoints import (
    activities_api,
    activity_signup_api,
    live_api,
    menu_api,
    open311,
    open311_reads,
    orders_api,
    survey_activity_api,
    survey_list_api,
    surveys_api,
    units_api,
)

router = APIRouter(prefix="/api/v1/requests")
# The live route first: /orders/{order_id} would take "live" for an order id.
for _part in (live_api.router, orders_api.router, menu_api.router, survey_list_api.router,
              surveys_api.router, units_api.router, activities_api.router,
              activity_signup_api.router, survey_activity_api.router):
    router.include_router(_part)

ROUTERS = [router, open311.router, open311_reads.router]
"""Every router the app serves: the civiloop API and the Open311 GeoReport v2 facade."""

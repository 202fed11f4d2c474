"""HTTP routes of the volunteers service (beside /healthz, /readyz and /metrics from the platform).

The specific routers come before the registry's ``/{volunteer_id}`` routes.
"""

from __future__ import annotations

from civiloop_volunteers.entrypoints import (
    appraisal_routes,
    honour_routes,
    hours_routes,
    import_routes,
    list_routes,
    live_routes,
    organisation_routes,
    registry_routes,
    roster_routes,
    service_routes,
)

ROUTERS = [appraisal_routes.router, honour_routes.router, hours_routes.router, import_routes.router,
           live_routes.router, service_routes.router, list_routes.router,
           organisation_routes.router, roster_routes.router, registry_routes.router]
router = registry_routes.router

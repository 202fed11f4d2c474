"""Settings of the requests service: the platform's, with this service's name and port."""

from __future__ import annotations

from pydantic import Field

from civiloop_platform.settings import ServiceSettings


class Settings(ServiceSettings):
    """Environment of the requests service (see ServiceSettings for the shared variables)."""

    service_name: str = "requests"
    http_port: int = 8101
    # Open311 clients name no centre; orders they place belong to this district's centre.
    district_centre: str = Field(default="kunqu", pattern=r"^[a-z0-9][a-z0-9-]*$")
    open311_default_window_days: int = Field(default=7, ge=1, le=90)

"""Settings of the stats service: the platform's, with this service's name and port."""

from __future__ import annotations

from civiloop_platform.settings import ServiceSettings


class Settings(ServiceSettings):
    """Environment of the stats service (see ServiceSettings for the shared variables)."""

    service_name: str = "stats"
    http_port: int = 8105

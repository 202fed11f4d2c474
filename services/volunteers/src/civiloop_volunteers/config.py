"""Settings of the volunteers service: the platform's, with this service's name and port."""

from __future__ import annotations

from civiloop_platform.settings import ServiceSettings


class Settings(ServiceSettings):
    """Environment of the volunteers service (see ServiceSettings for the shared variables)."""

    service_name: str = "volunteers"
    http_port: int = 8103

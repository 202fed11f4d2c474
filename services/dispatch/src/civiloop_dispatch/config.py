"""Settings of the dispatch service: the platform's, with this service's name and port."""

from __future__ import annotations

from civiloop_platform.settings import ServiceSettings


class Settings(ServiceSettings):
    """Environment of the dispatch service (see ServiceSettings for the shared variables)."""

    service_name: str = "dispatch"
    http_port: int = 8102

"""Settings of the requests service: the platform's, with this service's name and port."""

from __future__ import annotations

from civiloop_platform.settings import ServiceSettings


class Settings(ServiceSettings):
    """Environment of the requests service (see ServiceSettings for the shared variables)."""

    service_name: str = "requests"
    http_port: int = 8101

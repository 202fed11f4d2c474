"""Settings of the feedback service: the platform's, with this service's name and port."""

from __future__ import annotations

from civiloop_platform.settings import ServiceSettings


class Settings(ServiceSettings):
    """Environment of the feedback service (see ServiceSettings for the shared variables)."""

    service_name: str = "feedback"
    http_port: int = 8104

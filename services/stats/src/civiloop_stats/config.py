"""Settings of the stats service: the platform's, with this service's name, port and time zone."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from pydantic import field_validator

from civiloop_platform.settings import ServiceSettings


class Settings(ServiceSettings):
    """Environment of the stats service (see ServiceSettings for the shared variables)."""

    service_name: str = "stats"
    http_port: int = 8105
    # Days, months and years of trends, and dates in queries, are the district's own.
    stats_timezone: str = "Asia/Shanghai"
    # The consumer group of the figures; a second deployment (or a test) may take its own.
    stats_group: str = "stats-figures"

    @field_validator("stats_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        ZoneInfo(value)  # raises for an unknown zone: fail at start, not at the first query
        return value

"""Settings of the dispatch service: the platform's, plus its routing rules and timer loop."""

from __future__ import annotations

from pydantic import Field

from civiloop_dispatch.domain.policy import Policy
from civiloop_platform.settings import ServiceSettings


class Settings(ServiceSettings):
    """Environment of the dispatch service (see ServiceSettings for the shared variables)."""

    service_name: str = "dispatch"
    http_port: int = 8102
    # Consumer groups are "<group>-orders" and "<group>-volunteers"; one name per deployment.
    consumer_group: str = Field(default="dispatch", pattern=r"^[a-z][a-z0-9.-]*$")
    tries_per_level: int = Field(default=2, ge=1, le=20)
    grab_size: int = Field(default=3, ge=2, le=50)
    grab_categories: frozenset[str] = frozenset()
    grab_stations: frozenset[str] = frozenset()
    default_accept_min: int = Field(default=60, ge=1)
    volunteer_cap: int = Field(default=3, ge=1, le=50)
    team_cap: int = Field(default=2, ge=1, le=50)
    district_utc_offset_h: int = Field(default=8, ge=-12, le=14)
    candidate_limit: int = Field(default=100, ge=10, le=5000)
    # The loop sleeps until the next timer is due; this bounds it for other replicas' timers.
    deadline_poll_s: float = Field(default=10.0, gt=0)
    deadline_lease_s: float = Field(default=30.0, gt=0)

    def policy(self) -> Policy:
        """The routing rules these settings describe."""
        return Policy(tries_per_level=self.tries_per_level, grab_size=self.grab_size,
                      grab_categories=self.grab_categories, grab_stations=self.grab_stations,
                      default_accept_min=self.default_accept_min,
                      volunteer_cap=self.volunteer_cap, team_cap=self.team_cap,
                      utc_offset_h=self.district_utc_offset_h,
                      candidate_limit=self.candidate_limit)

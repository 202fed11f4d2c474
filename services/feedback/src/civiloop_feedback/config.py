"""Settings of the feedback service: the platform's, with its name, port and time rules."""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field

from civiloop_feedback.app.policy import Policy
from civiloop_platform.settings import ServiceSettings


class Settings(ServiceSettings):
    """Environment of the feedback service (see ServiceSettings for the shared variables)."""

    service_name: str = "feedback"
    http_port: int = 8104
    rating_change_window_h: float = Field(default=48.0, gt=0, le=24 * 90)
    rating_lapse_days: float = Field(default=7.0, gt=0, le=365)
    lapse_sweep_s: float = Field(default=60.0, gt=0)
    # A kiosk's rating can overtake the order's placement (topics are not ordered with each
    # other; after a broker outage by minutes): it waits this long, then is dead-lettered.
    unknown_order_wait_min: float = Field(default=15.0, gt=0, le=24 * 60)

    def policy(self) -> Policy:
        """The time rules these settings give."""
        return Policy(change_window=timedelta(hours=self.rating_change_window_h),
                      lapse_after=timedelta(days=self.rating_lapse_days),
                      order_wait=timedelta(minutes=self.unknown_order_wait_min))

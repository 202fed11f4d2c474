"""Settings of the volunteers service: the platform's, with its name, port, stars and hour margin."""

from __future__ import annotations

from itertools import pairwise

from pydantic import Field, field_validator

from civiloop_platform.settings import ServiceSettings


class Settings(ServiceSettings):
    """Environment of the volunteers service (see ServiceSettings for the shared variables)."""

    service_name: str = "volunteers"
    http_port: int = 8103
    # STAR_THRESHOLDS_H='[100,300,600,1000,1500]': approved hours for one to five stars.
    star_thresholds_h: tuple[float, ...] = Field(default=(100, 300, 600, 1000, 1500),
                                                 min_length=1, max_length=5)
    # HOURS_MARGIN_H=1: hours a service may run past its order's window and still be final
    # (check-in/out beyond window + margin waits for approval; typed-in hours never exceed it).
    hours_margin_h: float = Field(default=1.0, ge=0, le=12)
    # HONOUR_TITLES='["北疆楷模","最美人物"]': titles the district adds beside the six.
    honour_titles: tuple[str, ...] = Field(default=("北疆楷模", "最美人物"), max_length=20)
    # HONOUR_NOTICE_DAYS=7: how long an approved nomination is shown publicly (公示).
    honour_notice_days: float = Field(default=7, ge=0, le=60)

    @field_validator("star_thresholds_h")
    @classmethod
    def _rising(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        if any(b <= a for a, b in pairwise(value)) or value[0] <= 0:
            raise ValueError("thresholds must be positive and rising, e.g. [100,300,600]")
        return value

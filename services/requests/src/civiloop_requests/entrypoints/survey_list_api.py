"""HTTP route listing needs surveys: a resident their station's, staff their unit's."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from civiloop_contracts.envelope import utcnow
from civiloop_contracts.values import Role
from civiloop_platform.auth.tokens import Principal
from civiloop_requests.app.ports import UnitOfWork
from civiloop_requests.app.queries import pinned
from civiloop_requests.domain.errors import NotAllowed
from civiloop_requests.domain.survey import Survey
from civiloop_requests.entrypoints.deps import Caller, Cases
from civiloop_requests.entrypoints.views import SurveyView

router = APIRouter(prefix="/surveys", tags=["surveys"])


class SurveyItem(SurveyView):
    """A survey in a listing: open or closed, and whether this resident answered it."""

    open: bool
    answered: bool | None = None

    @classmethod
    def listed(cls, survey: Survey, caller: Principal) -> SurveyItem:
        """``survey`` as ``caller`` sees it in a list."""
        view = SurveyView.of(survey)
        answered = (any(r.resident_id == caller.subject for r in survey.responses)
                    if caller.role is Role.RESIDENT else None)
        return cls(**view.model_dump(), answered=answered,
                   open=survey.closes_at is None or survey.closes_at > utcnow())


def _units(caller: Principal, station: str | None) -> tuple[str | None, str | None]:
    """The station or institute whose surveys ``caller`` may list; NotAllowed beyond it."""
    if caller.role in (Role.VOLUNTEER, Role.TEAM_LEADER):
        raise NotAllowed(f"role {caller.role.value} lists no surveys")
    if caller.role in (Role.DISTRICT_ADMIN, Role.SERVICE):
        return station, None
    if caller.station is not None:
        return pinned(station, caller.station, "station"), None
    if caller.role is Role.RESIDENT:
        return station, None  # a resident without a home station may pick one
    if caller.institute is not None:
        return station, caller.institute
    raise NotAllowed(f"a {caller.role.value} without a station or institute sees no surveys")


@router.get("", response_model=list[SurveyItem], summary="Needs surveys of the caller's unit")
async def list_surveys(caller: Caller, cases: Cases, station: str | None = None,
                       open_only: Annotated[bool, Query(alias="open")] = False,
                       ) -> list[SurveyItem]:
    """Surveys of the caller's station (a resident's home station), newest closing first."""
    at_station, institute = _units(caller, station)

    async def work(uow: UnitOfWork) -> list[Survey]:
        return await uow.surveys.of_units(at_station, institute)
    items = [SurveyItem.listed(s, caller) for s in await cases.run(work)]
    if institute is not None and at_station is not None:
        items = [i for i in items if i.unit.station == at_station]
    items = [i for i in items if i.open] if open_only else items
    return sorted(items, key=lambda i: (not i.open, i.survey_id))

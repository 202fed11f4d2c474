"""HTTP route listing needs surveys: a resident their station's, staff their unit's."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from civiloop_contracts.envelope import utcnow
from civiloop_contracts.values import Role
from civiloop_platform.auth.deps import policy
from civiloop_platform.auth.scope import AccessDenied, Scope
from civiloop_platform.auth.tokens import Principal
from civiloop_requests.app.ports import UnitOfWork
from civiloop_requests.domain.survey import Survey
from civiloop_requests.entrypoints.deps import Cases
from civiloop_requests.entrypoints.views import SurveyView

router = APIRouter(prefix="/surveys", tags=["surveys"])
Lister = Annotated[Principal, Depends(policy("surveys.list"))]
Station = Annotated[str | None, Query(max_length=32, description="a station code")]


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


def _units(caller: Principal, station: str | None) -> Scope:
    """The units whose surveys ``caller`` may list; AccessDenied beyond its own."""
    if caller.role is not Role.RESIDENT:
        return caller.scope.narrowed(station=station)
    home = caller.station or station  # a resident without a home station may pick one
    if caller.station is not None and station not in (None, caller.station):
        raise AccessDenied(f"station {station} is not this resident's station")
    if home is None:
        raise AccessDenied("a resident lists the surveys of one station: give ?station=")
    return Scope(station=home)


@router.get("", response_model=list[SurveyItem], summary="Needs surveys of the caller's unit")
async def list_surveys(caller: Lister, cases: Cases, station: Station = None,
                       open_only: Annotated[bool, Query(alias="open")] = False,
                       ) -> list[SurveyItem]:
    """Surveys of the caller's station (a resident's home station), newest closing first."""
    units = _units(caller, station)

    async def work(uow: UnitOfWork) -> list[Survey]:
        return await uow.surveys.of_units(units)
    items = [SurveyItem.listed(s, caller) for s in await cases.run(work)]
    items = [i for i in items if i.open] if open_only else items
    return sorted(items, key=lambda i: (not i.open, i.survey_id))

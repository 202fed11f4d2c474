"""Scoring and ranking on the domain alone: fit, place, load, fairness and declines."""

from __future__ import annotations

from datetime import timedelta

from civiloop_contracts.events.dispatch import Criterion
from civiloop_contracts.values import Platform, Specialty, UnitLevel
from civiloop_dispatch.domain.candidates import Candidate, Kind
from civiloop_dispatch.domain.need import Need
from civiloop_dispatch.domain.scoring import rank, score
from tests.services.dispatch.builders import MONDAY_EVENING, SATURDAY_MORNING, T0, District, order

D = District("unit")


def need(**changes: object) -> Need:
    """The need of a home health check at station s1."""
    return Need.of(order("o1", D.station("s1"), **changes))  # type: ignore[arg-type]


def volunteer(ref: str, **changes: object) -> Candidate:
    """A doctor at station s1, never assigned, free any time."""
    fields: dict[str, object] = {"ref": ref, "kind": Kind.VOLUNTEER, "home": D.station("s1"),
                                 "specialties": [Specialty.MEDICINE_HEALTH],
                                 "platforms": [Platform.SCIENCE], **changes}
    return Candidate.model_validate(fields)


def test_a_perfect_fit_scores_one_with_five_reasons() -> None:
    scored = score(volunteer("v1"), need(), T0, default_cap=3)
    assert scored.score == 1.0
    assert [r.criterion for r in scored.reasons] == [
        Criterion.SKILL, Criterion.DISTANCE, Criterion.LOAD, Criterion.LOAD,
        Criterion.AVAILABILITY]
    assert sum(r.weight for r in scored.reasons) == 100


def test_specialty_beats_platform_and_home_beats_the_institute() -> None:
    ranked = rank([volunteer("platform-only", specialties=[]),
                   volunteer("next-door", home=D.station("s2")),
                   volunteer("home")], need(), T0, default_cap=3, utc_offset_h=8)
    assert [s.candidate.ref for s in ranked] == ["home", "next-door", "platform-only"]


def test_load_recent_work_and_declines_lower_the_score() -> None:
    fresh = volunteer("fresh")
    busy = volunteer("busy", load=2)
    recent = volunteer("recent", last_assigned_at=T0 - timedelta(hours=12))
    decliner = volunteer("decliner", declines=3)
    ranked = rank([busy, recent, decliner, fresh], need(), T0, default_cap=3, utc_offset_h=8)
    assert ranked[0].candidate.ref == "fresh"
    assert {s.candidate.ref for s in ranked[1:]} == {"busy", "recent", "decliner"}
    assert all(s.score < ranked[0].score for s in ranked[1:])


def test_full_unavailable_excluded_and_wrong_kind_candidates_are_left_out() -> None:
    ranked = rank([volunteer("full", load=3), volunteer("monday", availability=[MONDAY_EVENING]),
                   volunteer("saturday", availability=[SATURDAY_MORNING]),
                   volunteer("tried"), volunteer("team", kind=Kind.TEAM)],
                  need(), T0, default_cap=3, utc_offset_h=8, exclude={"volunteer:tried"})
    assert [s.candidate.ref for s in ranked] == ["saturday"]


def test_ties_go_to_the_lower_key_so_replicas_agree() -> None:
    ranked = rank([volunteer("b"), volunteer("a")], need(), T0, default_cap=3, utc_offset_h=8)
    assert [s.candidate.ref for s in ranked] == ["a", "b"]


def test_match_keys_of_a_candidate_meet_those_of_a_need_at_each_level() -> None:
    covering = volunteer("v", home=D.station("s9", institute="i2"), covers=[D.station("s1").station])
    keys = set(covering.match_keys())
    # Covering names stations only (their codes are unique): found at the covered station
    # and at the centre, while the institute level searches its own volunteers.
    for level in (UnitLevel.STATION, UnitLevel.CENTRE):
        assert keys & set(need().match_keys(level)), level
    assert not keys & set(need().match_keys(UnitLevel.INSTITUTE))
    assert volunteer("paused", active=False).match_keys() == []
    group = need(group=True)
    assert not keys & set(group.match_keys(UnitLevel.CENTRE))  # a team's need, not a volunteer's

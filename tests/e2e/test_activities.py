"""Activities (文明实践活动) across the processes: plan → publish → sign up → attend → hold,
then the staff's hours in volunteers' ledger and the figures in stats; a survey's demand
becomes an activity in one step."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from civiloop_devstack.demo import bearer, until
from tests.e2e.stack import Stack
from tests.e2e.test_loop import District, _register_doctor

A = "/api/v1/requests/activities"


def _window(start_min: float, end_min: float) -> dict[str, str]:
    now = datetime.now(UTC)
    return {"start": (now + timedelta(minutes=start_min)).isoformat(),
            "end": (now + timedelta(minutes=end_min)).isoformat()}


def _ok(reply: httpx.Response, code: int = 200) -> Any:
    assert reply.status_code == code, reply.text
    return reply.json()


def _planned(requests: httpx.Client, district: District, window: dict[str, str],
             capacity: int = 50) -> dict[str, Any]:
    body = {"unit": district.unit.model_dump(), "category": "free_clinic",
            "title": "社区义诊", "venue": "文化广场", "window": window, "capacity": capacity,
            "staff_wanted": 2}
    return dict(_ok(requests.post(A, json=body, headers=district.operator), 201))


def _resident(district: District) -> tuple[str, dict[str, str]]:
    rid = f"res-{uuid.uuid4().hex[:8]}"
    return rid, bearer("resident", rid, district.station, district.institute)


def test_an_activity_is_held_and_its_hours_and_head_count_follow(stack: Stack) -> None:
    district = District()
    district.register_units(stack)
    doctor = _register_doctor(stack, district)
    volunteer = bearer("volunteer", doctor)
    (r1, h1), (r2, h2), (_r3, h3) = (_resident(district) for _ in range(3))
    with stack.client("requests") as requests:
        activity = _planned(requests, district, _window(-10, 120))
        aid = activity["activity_id"]
        assert activity["state"] == "planned"
        assert activity["platform"] == "science"
        assert requests.post(f"{A}/{aid}/sign-up", headers=h1).status_code == 409  # not yet
        code = _ok(requests.post(f"{A}/{aid}/publish", headers=district.operator))[
            "check_in_code"]
        assert any(a["activity_id"] == aid for a in _ok(requests.get(
            A, params={"station": district.station}, headers=h1)))
        for headers in (h1, h2):
            assert _ok(requests.post(f"{A}/{aid}/sign-up", headers=headers))["mine"][
                "participant"]
        _ok(requests.post(f"{A}/{aid}/staff", headers=volunteer))
        _ok(requests.post(f"{A}/{aid}/staff/check-in", headers=volunteer))
        assert requests.post(f"{A}/{aid}/check-in", json={"code": "x" + code},
                             headers=h3).status_code == 422
        assert _ok(requests.post(f"{A}/{aid}/check-in", json={"code": code},
                                 headers=h3))["mine"]["checked_in"]  # signed up on the spot
        _ok(requests.post(f"{A}/{aid}/attendance", json={"attended": [r1], "walk_ins": 5},
                          headers=district.operator))
        _ok(requests.post(f"{A}/{aid}/staff/check-out", headers=volunteer))
        sheet = _ok(requests.post(f"{A}/{aid}/hold", headers=district.operator))
        assert (sheet["attended"], sheet["served"], len(sheet["participants"])) == (2, 7, 3)
        assert sheet["activity"]["state"] == "held"
        assert r2 not in {p["person_id"] for p in sheet["participants"]
                          if p["checked_in_at"]}

    def hours() -> list[dict[str, Any]]:
        with stack.client("volunteers") as volunteers:
            ledger = _ok(volunteers.get(f"/api/v1/volunteers/{doctor}/hours",
                                        headers=district.admin))
        return [e for e in ledger["entries"] if e["activity_id"] == aid]
    entry = until(lambda: hours() or None, what="the staff's hours in the ledger")[0]
    assert (entry["status"], entry["source"], entry["activity_name"]) == (
        "final", "check_in_out", "社区义诊")
    assert 0 < entry["hours"] <= 1

    def figures() -> dict[str, Any]:
        with stack.client("stats") as stats:
            found: dict[str, Any] = _ok(stats.get("/api/v1/stats/figures", params={
                "unit": district.station}, headers=district.admin))["figures"]
        return found
    until(lambda: figures()["activities_held"] == 1, what="stats counts the activity")
    shown = figures()
    assert shown["people_served"] == 7
    assert shown["service_hours"] == entry["hours"]
    _attendees_rate_it(stack, district, aid, attended=(h1, h3), absent=h2)


def _attendees_rate_it(stack: Stack, district: District, aid: str,
                       attended: tuple[dict[str, str], dict[str, str]],
                       absent: dict[str, str]) -> None:
    """Feedback learns the attendees from ActivityHeld: they rate once each; nobody else."""
    rating = f"/api/v1/feedback/activities/{aid}/rating"
    with stack.client("feedback") as feedback:
        def rate_first() -> httpx.Response | None:
            reply = feedback.post(rating, json={"stars": 5}, headers=attended[0])
            return None if reply.status_code == 404 else reply  # the event is on its way
        first = until(rate_first, what="feedback knows the held activity")
        assert first.status_code == 201, first.text
        assert feedback.post(rating, json={"stars": 1}, headers=attended[0]).status_code == 409
        refused = feedback.post(rating, json={"stars": 1}, headers=absent)
        assert refused.status_code == 403, refused.text  # signed up, never came
        _ok(feedback.post(rating, json={"stars": 2, "comment": "人太多，等了很久"},
                          headers=attended[1]), 201)
        summary = _ok(feedback.get(f"/api/v1/feedback/activities/{aid}/ratings",
                                   headers=district.operator))
        assert (summary["attendees"], summary["ratings"], summary["mean_stars"]) == (2, 2, 3.5)
        assert summary["comments"] == ["人太多，等了很久"]
        assert "res-" not in str(summary)  # the organisers read no resident ids
        other = bearer("station_operator", "op-else", f"x{district.station}", "elsewhere")
        assert feedback.get(f"/api/v1/feedback/activities/{aid}/ratings",
                            headers=other).status_code == 403


def test_sign_ups_respect_capacity_and_cancel_before_the_start(stack: Stack) -> None:
    district = District()
    district.register_units(stack)
    (_, h1), (_, h2) = (_resident(district) for _ in range(2))
    with stack.client("requests") as requests:
        aid = _planned(requests, district, _window(60 * 24, 60 * 26), capacity=1)["activity_id"]
        _ok(requests.post(f"{A}/{aid}/publish", headers=district.operator))
        _ok(requests.post(f"{A}/{aid}/sign-up", headers=h1))
        full = requests.post(f"{A}/{aid}/sign-up", headers=h2)
        assert full.status_code == 409
        assert "full" in full.text
        assert _ok(requests.post(f"{A}/{aid}/sign-up/cancel", headers=h1))["places_left"] == 1
        _ok(requests.post(f"{A}/{aid}/sign-up", headers=h2))
        early = requests.post(f"{A}/{aid}/hold", headers=district.operator)
        assert early.status_code == 409  # not begun
        other = bearer("station_operator", "op-else", f"x{district.station}", "elsewhere")
        assert requests.post(f"{A}/{aid}/cancel", json={}, headers=other).status_code == 403


def test_a_surveys_top_demand_becomes_an_activity(stack: Stack) -> None:
    district = District()
    district.register_units(stack)
    with stack.client("requests") as requests:
        survey = _ok(requests.post("/api/v1/requests/surveys", json={
            "unit": district.unit.model_dump(), "title": "需求调查",
            "categories": ["free_clinic", "policy_lecture", "legal_aid"]},
            headers=district.operator), 201)
        for chosen in (["policy_lecture"], ["policy_lecture", "free_clinic"], ["legal_aid"]):
            _, headers = _resident(district)
            _ok(requests.post(f"/api/v1/requests/surveys/{survey['survey_id']}/answers",
                              json={"chosen": chosen}, headers=headers), 201)
        activity = _ok(requests.post(
            f"/api/v1/requests/surveys/{survey['survey_id']}/activities",
            json={"venue": "会议室", "window": _window(60, 120)}, headers=district.operator), 201)
    assert (activity["category"], activity["capacity"], activity["survey_id"]) == (
        "policy_lecture", 2, survey["survey_id"])
    assert activity["platform"] == "theory"
    assert activity["state"] == "planned"

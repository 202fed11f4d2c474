"""Needs surveys on real Kafka and MongoDB: answers once each, a known ranking, demand → order."""

from __future__ import annotations

import uuid

from civiloop_contracts.codec import encode
from civiloop_contracts.events.intake import Channel, SurveyAnswer, SurveyAnswerSubmitted
from civiloop_contracts.events.requests import OrderPlaced, SurveyAnswered, SurveyPublished
from civiloop_contracts.payload import make_event
from civiloop_contracts.topics import STATION_INTAKE
from civiloop_contracts.values import UnitRef
from civiloop_platform.kafka.producer import Outgoing
from tests.services.requests.integration.service import (
    INSTITUTE,
    RunningService,
    station_operator,
    token,
)
from tests.support import eventually, started_producer

SURVEYS = "/api/v1/requests/surveys"
CATEGORIES = ["free_clinic", "legal_aid", "cultural_performance", "policy_lecture"]
# Five residents over HTTP, one more through a kiosk: free clinic 4, legal aid 3,
# performance 2, policy lecture 0.
ANSWERS = [["free_clinic", "legal_aid"], ["free_clinic"], ["legal_aid", "cultural_performance"],
           ["free_clinic", "cultural_performance"], ["legal_aid"]]
KIOSK_ANSWER = ["free_clinic"]


async def _publish(service: RunningService, station: str) -> str:
    unit = {"centre": "kunqu", "institute": INSTITUTE, "station": station}
    published = await service.client.post(
        SURVEYS, json={"unit": unit, "title": "2026年居民服务需求调查", "categories": CATEGORIES},
        headers=station_operator(station))
    assert published.status_code == 201, published.text
    survey_id: str = published.json()["survey_id"]
    assert [e.type for e in await service.published(survey_id)] == [
        SurveyPublished.event_type()]
    return survey_id


async def _kiosk_answer(service: RunningService, survey_id: str, station: str) -> None:
    answer = SurveyAnswerSubmitted(
        survey_id=survey_id, response_id=f"rsp-{uuid.uuid4().hex[:8]}",
        unit=UnitRef(centre="kunqu", institute=INSTITUTE, station=station),
        answers=[SurveyAnswer(question_id="wanted_services", choice_ids=KIOSK_ANSWER)],
        resident_ref="res-kiosk-1", channel=Channel.KIOSK)
    encoded = encode(make_event(answer, source=f"/stations/{station}/kiosk"))
    async with started_producer(service.settings.kafka_bootstrap, "kiosk") as producer:
        record = Outgoing(STATION_INTAKE, encoded.key, encoded.value, encoded.headers)
        await producer.send_all([record, record])


async def test_a_survey_ranks_demand_from_a_known_set_of_answers(
        service: RunningService) -> None:
    station = await service.new_station()
    survey_id = await _publish(service, station)
    residents = [token("resident", f"res-{uuid.uuid4().hex[:8]}") for _ in ANSWERS]
    for who, chosen in zip(residents, ANSWERS, strict=True):
        answered = await service.client.post(f"{SURVEYS}/{survey_id}/answers",
                                             json={"chosen": chosen}, headers=who)
        assert answered.status_code == 201, answered.text
    twice = await service.client.post(f"{SURVEYS}/{survey_id}/answers",
                                      json={"chosen": ["legal_aid"]}, headers=residents[0])
    assert twice.status_code == 409
    off_survey = await service.client.post(f"{SURVEYS}/{survey_id}/answers",
                                           json={"chosen": ["square_dance_class"]},
                                           headers=token("resident"))
    assert off_survey.status_code == 422
    await _kiosk_answer(service, survey_id, station)

    async def six_answers() -> bool:
        return len(await service.published(survey_id, SurveyAnswered.event_type())) == 6
    await eventually(six_answers)
    ranking = (await service.client.get(f"{SURVEYS}/{survey_id}/ranking",
                                        headers=station_operator(station))).json()
    assert ranking["respondents"] == 6
    assert [(d["category"], d["count"]) for d in ranking["demands"]] == [
        ("free_clinic", 4), ("legal_aid", 3), ("cultural_performance", 2), ("policy_lecture", 0)]
    assert ranking["demands"][0]["share"] == 4 / 6
    other = await service.client.get(f"{SURVEYS}/{survey_id}/ranking",
                                     headers=station_operator("kunhe-dongcun"))
    assert other.status_code == 403
    rolled = (await service.client.get(f"{SURVEYS}/ranking", params={"station": station},
                                       headers=token("district_admin"))).json()
    assert rolled == ranking


async def test_a_station_orders_its_top_group_demand_in_one_call(
        service: RunningService) -> None:
    station = await service.new_station()
    survey_id = await _publish(service, station)
    for chosen in (["legal_aid", "cultural_performance"], ["legal_aid", "cultural_performance"],
                   ["legal_aid"]):
        await service.client.post(f"{SURVEYS}/{survey_id}/answers", json={"chosen": chosen},
                                  headers=token("resident"))
    ordered = await service.client.post(
        f"{SURVEYS}/{survey_id}/orders",
        json={"place": "社区文化广场", "window": {"start": "2026-12-20T09:00:00+08:00",
                                                 "end": "2026-12-20T11:00:00+08:00"}},
        headers=station_operator(station))
    assert ordered.status_code == 201, ordered.text
    order = ordered.json()
    # legal_aid is wanted more but is an individual service: the top group activity wins.
    assert (order["category"], order["group_activity"], order["audience_size"]) == (
        "cultural_performance", True, 2)
    assert order["requested_by"] == "station_operator"
    assert len(await service.published(order["order_id"], OrderPlaced.event_type())) == 1
    individual = await service.client.post(
        f"{SURVEYS}/{survey_id}/orders",
        json={"category": "legal_aid", "place": "x",
              "window": {"start": "2026-12-20T09:00:00+08:00",
                         "end": "2026-12-20T11:00:00+08:00"}},
        headers=station_operator(station))
    assert individual.status_code == 422
    assert "not a group activity" in individual.json()["detail"][0]["msg"]


async def test_a_resident_lists_the_open_surveys_of_their_station_and_what_they_answered(
        service: RunningService) -> None:
    station = f"st-{uuid.uuid4().hex[:6]}"
    survey_id = await _publish(service, station)
    elsewhere = await _publish(service, f"st-{uuid.uuid4().hex[:6]}")
    resident = token("resident", f"res-{uuid.uuid4().hex[:8]}", station, INSTITUTE)
    listed = await service.client.get(SURVEYS, params={"open": "true"}, headers=resident)
    assert listed.status_code == 200, listed.text
    assert [(s["survey_id"], s["open"], s["answered"]) for s in listed.json()] == [
        (survey_id, True, False)]
    assert elsewhere not in listed.text
    answered = await service.client.post(f"{SURVEYS}/{survey_id}/answers", headers=resident,
                                         json={"chosen": ["legal_aid"]})
    assert answered.status_code == 201, answered.text
    [again] = (await service.client.get(SURVEYS, headers=resident)).json()
    assert again["answered"] is True
    assert again["respondents"] == 1
    staff = (await service.client.get(SURVEYS, headers=station_operator(station))).json()
    assert [s["survey_id"] for s in staff] == [survey_id]
    assert staff[0]["answered"] is None
    beyond = await service.client.get(SURVEYS, params={"station": f"st-{uuid.uuid4().hex[:6]}"},
                                      headers=station_operator(station))
    assert beyond.status_code == 403


async def test_a_bad_survey_answer_names_the_field(service: RunningService) -> None:
    survey_id = await _publish(service, station := f"st-{uuid.uuid4().hex[:6]}")
    resident = token("resident", station=station, institute=INSTITUTE)
    empty = await service.client.post(f"{SURVEYS}/{survey_id}/answers", headers=resident,
                                      json={"chosen": []})
    off = await service.client.post(f"{SURVEYS}/{survey_id}/answers", headers=resident,
                                    json={"chosen": ["dance_class"]})
    assert (empty.status_code, off.status_code) == (422, 422)
    assert empty.json()["detail"][0]["loc"] == ["body", "chosen"]
    assert off.json()["detail"][0] == {"loc": ["body", "chosen"], "type": "value_error",
                                       "msg": "chosen: not on this survey: dance_class"}
    listed = (await service.client.get(SURVEYS, headers=resident)).json()
    assert listed[0]["respondents"] == 0  # nothing half-saved

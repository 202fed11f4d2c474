"""Registry rules: ID numbers, what events may say, teams, honours, import rows."""

from __future__ import annotations

import pytest

from civiloop_contracts.envelope import utcnow
from civiloop_contracts.events.volunteers import VolunteerStatus
from civiloop_contracts.values import HonourLevel, HonourTitle, Platform, Specialty
from civiloop_volunteers.domain.errors import Invalid
from civiloop_volunteers.domain.honours import Honour
from civiloop_volunteers.domain.identity import IdType, id_key, normalise_id_number
from civiloop_volunteers.domain.imports import team_from_row, volunteer_from_row
from civiloop_volunteers.domain.teams import Team, TeamChanges, change_team
from civiloop_volunteers.domain.volunteer import Changes, NewVolunteer, change, register
from tests.services.volunteers.builders import id_number, unit, volunteer_body


def test_an_id_number_with_a_wrong_check_digit_is_refused() -> None:
    good = id_number()
    assert normalise_id_number(IdType.RESIDENT_ID, good.lower()) == good.upper()
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ValueError, match="check digit"):
        normalise_id_number(IdType.RESIDENT_ID, wrong)
    assert id_key(IdType.PASSPORT, " e1234 5678 ") == "passport:E12345678"


def test_the_registered_event_carries_no_phone_or_id_number() -> None:
    body = volunteer_body()
    _, event = register("vol-1", NewVolunteer.model_validate(body), utcnow(), ["team-1"])
    text = event.model_dump_json()
    assert body["phone"] not in text
    assert body["id_number"] not in text
    assert event.display_name == "李*"
    assert (event.skills, event.team_ids, event.status) == (
        ["first_aid", "blood_pressure"], ["team-1"], VolunteerStatus.ACTIVE)


def test_an_edit_announces_only_public_fields_that_changed() -> None:
    volunteer, _ = register("vol-1", NewVolunteer.model_validate(volunteer_body()), utcnow())
    _, silent = change(volunteer, Changes(phone="13900001111"))
    assert silent is None
    _, event = change(volunteer, Changes(skills=["legal_aid"], status=VolunteerStatus.PAUSED))
    assert event is not None
    assert event.model_dump(exclude_none=True) == {
        "volunteer_id": "vol-1", "skills": ["legal_aid"], "status": VolunteerStatus.PAUSED}


def test_a_team_leader_is_a_member_and_cannot_be_removed_without_a_new_leader() -> None:
    team = Team(team_id="team-1", name="队", specialty=Specialty.LAW, platform=Platform.THEORY,
                unit=unit(), leader_id="vol-l", member_ids=["vol-a"])
    assert team.member_ids == ["vol-l", "vol-a"]
    with pytest.raises(Invalid, match="leads team"):
        change_team(team, TeamChanges(remove_member_ids=["vol-l"]))
    changed, event, moved = change_team(team, TeamChanges(
        leader_id="vol-a", remove_member_ids=["vol-l"], add_member_ids=["vol-b"]))
    assert changed.member_ids == ["vol-a", "vol-b"]
    assert event is not None
    assert (event.leader_id, event.member_ids) == ("vol-a", ["vol-a", "vol-b"])
    assert moved == {"vol-l", "vol-b"}


def test_an_honour_shows_the_name_on_the_board_but_masks_it_in_the_event() -> None:
    honour = Honour(honour_id="hon-1", title=HonourTitle.FILIAL_YOUTH, level=HonourLevel.NATIONAL,
                    year=2024, holder_name="王小明", unit=unit(), awarded_by="admin",
                    awarded_at=utcnow(), story="照顾瘫痪母亲")
    assert honour.awarded().holder_name == "王**"
    assert honour.on_board()["name"] == "王小明"
    assert honour.on_board()["title_name"] == "全国孝心少年"


def test_an_import_row_is_read_with_chinese_headers_or_refused_naming_the_field() -> None:
    row = {"姓名": "王芳", "证件号码": id_number(), "手机": "139 0000 1111", "中心": "kun-district",
           "所": "kunhe-town", "站": "wanhe-sunshine", "技能": "急救；唱歌",
           "可服务时间": "6 09:00-12:00"}
    new = volunteer_from_row(row)
    assert (new.skills, new.phone, new.availability[0].weekday) == (["急救", "唱歌"],
                                                                    "13900001111", 6)
    with pytest.raises(Invalid, match=r"^availability"):
        volunteer_from_row({**row, "可服务时间": "saturday morning"})
    with pytest.raises(Invalid, match=r"^unit"):
        volunteer_from_row({**row, "所": ""})
    with pytest.raises(Invalid, match=r"^specialty"):
        team_from_row({"name": "队", "specialty": "cooking", "platform": "culture",
                       "centre": "kun-district"})

"""Rows of a volunteer or team import (CSV or XLSX), read into registrations.

A row is a mapping of column name to text. Lists are separated by ``;`` (or ``、``);
availability reads ``6 09:00-12:00; 7 14:00-17:00`` (ISO weekday, then hours). Chinese
column headers of the usual registration form are understood too.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from civiloop_contracts.values import Platform, ShortText, Specialty
from civiloop_volunteers.domain.errors import Invalid
from civiloop_volunteers.domain.volunteer import NewVolunteer

ALIASES = {
    "姓名": "name", "证件类型": "id_type", "证件号码": "id_number", "身份证号": "id_number",
    "手机": "phone", "手机号": "phone", "志愿者编号": "volunteer_number", "性别": "gender",
    "出生年份": "birth_year", "政治面貌": "political_status", "技能": "skills",
    "证书": "certificates", "专长": "specialties", "平台": "platforms", "中心": "centre",
    "所": "institute", "站": "station", "服务站点": "stations_covered",
    "服务半径": "service_radius_km", "可服务时间": "availability", "组织": "organisation_id",
    "队名": "name", "队长编号": "leader_number", "队员编号": "member_numbers",
}
LIST_FIELDS = ("skills", "certificates", "specialties", "platforms", "stations_covered")
_SPLIT = re.compile(r"[;；、]")
_SLOT = re.compile(r"^([1-7])\s+(\d{2}:\d{2})\s*-\s*(\d{2}:\d{2})$")


def normalise_row(raw: dict[str, Any]) -> dict[str, str]:
    """Column names in English, values as stripped text, empty cells left out."""
    row = {}
    for key, value in raw.items():
        if key is None or value is None or str(value).strip() == "":
            continue
        name = str(key).strip()
        row[ALIASES.get(name, name.lower())] = str(value).strip()
    return row


def split(text: str) -> list[str]:
    """The items of a ``;``-separated cell."""
    return [item.strip() for item in _SPLIT.split(text) if item.strip()]


def availability(text: str) -> list[dict[str, Any]]:
    """Weekly slots from ``6 09:00-12:00; 7 14:00-17:00``; Invalid naming a bad slot."""
    slots = []
    for item in split(text):
        match = _SLOT.match(item)
        if match is None:
            raise Invalid(f"availability: {item!r} should read like '6 09:00-12:00'")
        slots.append({"weekday": int(match[1]), "start": match[2], "end": match[3]})
    return slots


def _unit(row: dict[str, str]) -> dict[str, str]:
    return {k: row[k] for k in ("centre", "institute", "station") if k in row}


def _explain(exc: ValidationError) -> Invalid:
    first = exc.errors()[0]
    field = ".".join(str(p) for p in first["loc"]) or "row"
    return Invalid(f"{field}: {first['msg']}")


def volunteer_from_row(raw: dict[str, Any]) -> NewVolunteer:
    """The registration a row asks for; Invalid naming the first bad field."""
    row: dict[str, Any] = normalise_row(raw)
    for field in LIST_FIELDS:
        if field in row:
            row[field] = split(row[field])
    if "availability" in row:
        row["availability"] = availability(row["availability"])
    row["unit"] = _unit(row)
    try:
        return NewVolunteer.model_validate(row)
    except ValidationError as exc:
        raise _explain(exc) from None


class TeamRow(BaseModel):
    """A team as an import row gives it: people by volunteer number, not by id."""

    name: ShortText
    specialty: Specialty
    platform: Platform
    unit: dict[str, str]
    organisation_id: str | None = None
    leader_number: str | None = None
    member_numbers: list[str] = Field(default_factory=list, max_length=500)
    stations_covered: list[str] = Field(default_factory=list)


def team_from_row(raw: dict[str, Any]) -> TeamRow:
    """The team a row asks for; Invalid naming the first bad field."""
    row: dict[str, Any] = normalise_row(raw)
    row["member_numbers"] = split(row.get("member_numbers", ""))
    row["stations_covered"] = split(row.get("stations_covered", ""))
    row["unit"] = _unit(row)
    try:
        return TeamRow.model_validate(row)
    except ValidationError as exc:
        raise _explain(exc) from None

"""Personal data stays home: masking helpers, and models that refuse unmasked values."""

from __future__ import annotations

from typing import Any

import pytest

from civiloop_contracts import (
    REGISTRY,
    ContractError,
    Envelope,
    contains_mobile,
    mask_id_number,
    mask_name,
    mask_phone,
    mask_ref,
)
from civiloop_contracts.events.volunteers import VolunteerRegistered
from civiloop_contracts.values import UnitRef


def test_mask_phone_keeps_prefix_and_last_four() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("+86 138-1234-5678") == "138****5678"
    with pytest.raises(ValueError, match="11-digit"):
        mask_phone("12345")


def test_mask_name_and_id_number() -> None:
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_name("李") == "李*"
    assert mask_id_number("15020319900101123x") == "150***********123X"
    with pytest.raises(ValueError, match="resident ID"):
        mask_id_number("abc")


def test_mask_ref_stars_the_middle_of_a_pseudonymous_id() -> None:
    assert mask_ref("res-000123") == "re******23"
    assert mask_ref("ld3-res000001") == "ld3*******001"
    assert mask_ref("res-1") == "r***1"
    assert mask_ref("r1") == "r*"
    assert mask_ref("a" * 32) == "aaa" + "*" * 26 + "aaa"
    with pytest.raises(ValueError, match="empty"):
        mask_ref(" ")


def test_a_masked_ref_never_shows_half_of_the_id() -> None:
    for ref in ("ab", "abc", "abcd", "res-1", "res-12", "res-000123", "x" * 64):
        shown = sum(c != "*" for c in mask_ref(ref))
        assert shown <= max(1, len(ref) // 2), ref
        assert len(mask_ref(ref)) == len(ref)


def test_contains_mobile_finds_numbers_in_text() -> None:
    assert contains_mobile("请打 138 1234 5678 联系")
    assert not contains_mobile("订单 ord-20250512-0042，参与 38 人")


def _volunteer(**changes: Any) -> dict[str, Any]:
    data = {"volunteer_id": "vol-1", "display_name": "李*", "phone": "139****0021",
            "unit": UnitRef(centre="kunqu")}
    return data | changes


def test_models_refuse_unmasked_phone_and_name() -> None:
    assert VolunteerRegistered(**_volunteer()).phone == "139****0021"
    with pytest.raises(ValueError, match="unmasked phone number"):
        VolunteerRegistered(**_volunteer(phone="13900000021"))
    with pytest.raises(ValueError, match="masked name"):
        VolunteerRegistered(**_volunteer(display_name="李四"))


def test_free_text_with_phone_is_refused_at_decode(order_placed: dict[str, Any]) -> None:
    order_placed["data"]["need"] = "请联系 13812345678"
    with pytest.raises(ContractError, match=r"data\.need: .*unmasked phone"):
        REGISTRY.parse(Envelope.model_validate(order_placed))

"""Masking of personal data: events carry ids and masked values only, never the real thing.

The helpers are pure; the annotated types make an event model refuse a value that still
looks personal (an 11-digit mobile number where a masked one is expected).
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

_MOBILE = re.compile(r"1\d{10}")
_MASKED_PHONE = re.compile(r"^1\d{2}\*{4}\d{4}$")
_ID_NUMBER = re.compile(r"^(\d{15}|\d{17}[\dXx])$")
_SEPARATORS = re.compile(r"[\s\-()]")


def mask_phone(phone: str) -> str:
    """Mask a mainland mobile number to ``138****5678``; raise ValueError if it is not one."""
    digits = _SEPARATORS.sub("", phone).removeprefix("+86")
    if not _MOBILE.fullmatch(digits):
        raise ValueError("not an 11-digit mainland mobile number")
    return f"{digits[:3]}****{digits[-4:]}"


def mask_name(name: str) -> str:
    """Keep a name's first character and star the rest: ``张三`` → ``张*``."""
    name = name.strip()
    if not name:
        raise ValueError("empty name")
    return name[0] + "*" * max(1, len(name) - 1)


def mask_id_number(id_number: str) -> str:
    """Mask a resident ID number, keeping the first 3 and last 4 characters."""
    value = id_number.strip().upper()
    if not _ID_NUMBER.fullmatch(value):
        raise ValueError("not a 15- or 18-character resident ID number")
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_ref(ref: str) -> str:
    """Star the middle of a pseudonymous id: ``res-000123`` → ``re******23``.

    Up to a quarter of it (at most 3 characters) stays at each end, enough for staff to tell
    two residents apart on one order, never enough to read the id back.
    """
    ref = ref.strip()
    if not ref:
        raise ValueError("empty id")
    keep = min(3, len(ref) // 4)
    if keep == 0:
        return ref[0] + "*" * (len(ref) - 1) if len(ref) > 1 else "*"
    return ref[:keep] + "*" * (len(ref) - 2 * keep) + ref[-keep:]


def contains_mobile(text: str) -> bool:
    """Whether ``text`` holds something that reads as an unmasked mobile number."""
    return re.search(r"(?<!\d)1\d{10}(?!\d)", _SEPARATORS.sub("", text)) is not None


def _masked_phone(value: str) -> str:
    if _MOBILE.fullmatch(_SEPARATORS.sub("", value).removeprefix("+86")):
        raise ValueError("unmasked phone number: events carry mask_phone() output only")
    if not _MASKED_PHONE.match(value):
        raise ValueError("masked phone must look like 138****5678")
    return value


def _masked_name(value: str) -> str:
    if "*" not in value or value.startswith("*"):
        raise ValueError("masked name must look like 张* (mask_name() output)")
    return value


def _no_mobile(value: str) -> str:
    if contains_mobile(value):
        raise ValueError("free text holds an unmasked phone number; mask it first")
    return value


# The patterns go into the JSON Schema for other languages; Python checks with the validators,
# which explain what is wrong instead of quoting a regular expression.
MaskedPhone = Annotated[str, AfterValidator(_masked_phone), Field(
    max_length=11, examples=["138****5678"],
    json_schema_extra={"pattern": _MASKED_PHONE.pattern})]
MaskedName = Annotated[str, AfterValidator(_masked_name), Field(
    min_length=2, max_length=32, examples=["张*"], json_schema_extra={"pattern": r"^[^*].*\*"})]
FreeText = Annotated[str, AfterValidator(_no_mobile), Field(
    max_length=2000, description="Free text; refused if it holds an unmasked phone number.")]
"""Free text from people (needs, comments): bounded, and refused if it holds a phone number."""


class MaskedContact(BaseModel):
    """How to reach someone, masked: enough to recognise, never enough to call."""

    model_config = ConfigDict(frozen=True)

    name: MaskedName | None = None
    phone: MaskedPhone | None = None

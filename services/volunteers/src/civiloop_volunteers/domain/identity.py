"""Identity documents of volunteers (实名): ID types, number checks and the dedup keys."""

from __future__ import annotations

import re
from enum import StrEnum

_RESIDENT_ID = re.compile(r"^\d{17}[\dX]$")
_OTHER_ID = re.compile(r"^[A-Z0-9]{5,20}$")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


class IdType(StrEnum):
    """The document a volunteer registers with."""

    RESIDENT_ID = "resident_id"  # 居民身份证
    PASSPORT = "passport"
    HK_MACAO_TAIWAN = "hk_macao_taiwan"  # 港澳台居民证件
    OTHER = "other"


def resident_id_check(first17: str) -> str:
    """The GB 11643 check character (ISO 7064 MOD 11-2) of an 18-character ID number."""
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def normalise_id_number(id_type: IdType, number: str) -> str:
    """The number as stored and compared (upper case, no spaces); ValueError if malformed."""
    value = re.sub(r"\s", "", number).upper()
    if id_type is IdType.RESIDENT_ID:
        if not _RESIDENT_ID.match(value):
            raise ValueError("a resident ID number has 17 digits and a check digit or X")
        if resident_id_check(value[:17]) != value[17]:
            raise ValueError("the resident ID number's check digit is wrong")
    elif not _OTHER_ID.match(value):
        raise ValueError("an ID number has 5-20 letters or digits")
    return value


def id_key(id_type: IdType, number: str) -> str:
    """The dedup key of a document: one person, one registration."""
    return f"{id_type.value}:{normalise_id_number(id_type, number)}"

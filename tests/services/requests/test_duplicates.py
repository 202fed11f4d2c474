"""The "+1" rule: which earlier order, if any, a new order repeats."""

from __future__ import annotations

from typing import Any

import pytest

from civiloop_contracts.events.requests import CancelReason
from civiloop_contracts.values import Role
from civiloop_requests.domain.actor import REQUESTS
from civiloop_requests.domain.duplicates import find_duplicate
from civiloop_requests.domain.status import Step
from tests.services.requests.builders import RESIDENT, at, by, new_order, placed


def test_an_open_order_of_the_same_resident_category_and_station_is_repeated() -> None:
    first, other = placed("ord-1"), placed("ord-0", resident="res-9")
    assert find_duplicate(new_order(), [other, first]) is first


def test_the_earliest_of_several_open_orders_is_the_one_linked() -> None:
    later = placed("ord-a")
    later.timeline[0] = later.timeline[0].model_copy(update={"at": at(30)})
    earlier = placed("ord-b")
    assert find_duplicate(new_order(), [later, earlier]) is earlier


def test_an_order_being_served_still_counts_as_open() -> None:
    first = placed()
    first.apply(Step.DISPATCH, at(1), by(Role.SERVICE))
    first.apply(Step.ACCEPT, at(2), by(Role.VOLUNTEER))
    assert find_duplicate(new_order(), [first]) is first


@pytest.mark.parametrize("changes", [
    {"resident": "res-2"},
    {"category": "legal_aid", "answers": {"topic": "family"}},
    {"station": "kunhe-east"},
])
def test_another_resident_category_or_station_is_not_a_duplicate(changes: dict[str, Any]) -> None:
    assert find_duplicate(new_order(**changes), [placed()]) is None


@pytest.mark.parametrize("ending", ["completed", "cancelled", "closed"])
def test_a_first_order_no_longer_open_is_not_repeated(ending: str) -> None:
    first = placed()
    if ending == "cancelled":
        first.cancel(CancelReason.WITHDRAWN, at(1), RESIDENT)
    else:
        for minute, step in enumerate([Step.DISPATCH, Step.ACCEPT, Step.COMPLETE], start=1):
            first.apply(step, at(minute), by(Role.SERVICE))
        if ending == "closed":
            first.close(at(9), REQUESTS)
    assert find_duplicate(new_order(), [first]) is None


def test_station_orders_on_residents_behalf_are_never_duplicates() -> None:
    first = placed(resident=None)
    assert find_duplicate(new_order(resident=None), [first]) is None

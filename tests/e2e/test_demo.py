"""The demo district `make run` loads: made through the APIs, with the source's 14.7%, and
every figure stats publishes of it recounted from the services that own the facts."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from civiloop_devstack.demo import CENTRE, Demo, until
from tests.e2e.agree import settled_disagreements
from tests.e2e.stack import Stack

# Starting five services and loading the demo through their APIs takes minutes on a busy
# machine; the first test's item holds both.
pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def demo(stack: Stack) -> Demo:
    """The demo district, loaded once for this module's stack."""
    loaded = Demo(stack.urls)
    loaded.load(say=lambda line: None)
    return loaded


def test_the_demo_district_loads_and_its_figures_are_non_trivial(stack: Stack,
                                                                  demo: Demo) -> None:
    def figures() -> dict[str, Any]:
        reply = httpx.get(f"{stack.urls['stats']}/api/v1/stats/figures", timeout=30,
                          params={"unit": CENTRE}, headers=demo.admin)
        if reply.status_code == 404:  # stats has not yet heard of the centre from requests
            return {}
        assert reply.status_code == 200, reply.text
        found: dict[str, Any] = reply.json()["figures"]
        return found
    # The cancellation is the demo's last step: wait until stats has it too. Each of the four
    # served orders took 80 minutes, reported after the accept, so the station approved them.
    served_hours = 4 * 1.34
    shown = until(lambda: (f := figures()) and f.get("orders_rated") == 4
                  and f.get("orders_cancelled") == 1
                  and f.get("service_hours", 0) >= served_hours and f,
                  "stats counts the demo's orders and approved hours")
    assert shown["registered_volunteers"] == 46
    assert shown["registration_rate"] == 0.147
    assert shown["orders_cancelled"] == 1
    assert shown["teams"] == 6


def test_every_demo_figure_stats_publishes_is_what_the_owning_services_list(
        stack: Stack, demo: Demo) -> None:
    # The demo cancels its last order at once; dispatch, not yet aware, dispatches it:
    # requests ignores that step, and so must every figure of the district.
    found = settled_disagreements(stack.urls)
    assert not found, "\n".join(found)

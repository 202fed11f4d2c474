"""The demo district `make run` loads: made through the APIs, with the source's 14.7%."""

from __future__ import annotations

from typing import Any

import httpx

from civiloop_devstack.demo import CENTRE, Demo, until
from tests.e2e.stack import Stack


def test_the_demo_district_loads_and_its_figures_are_non_trivial(stack: Stack) -> None:
    demo = Demo(stack.urls)
    demo.load(say=lambda line: None)

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

"""The Grafana dashboard queries only metrics the services expose, with labels they carry."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from prometheus_client import REGISTRY

import civiloop_platform.metrics  # noqa: F401  (registers what every service exposes)
from tests.deploy.k8s import ROOT

DASHBOARD = ROOT / "deploy" / "grafana" / "civiloop-dashboard.json"
SUFFIXES = {"counter": ("_total",), "histogram": ("_bucket", "_sum", "_count"),
            "gauge": ("",), "summary": ("_sum", "_count", "")}
# Labels Prometheus adds when it scrapes a pod (deploy/k8s annotates every service pod).
TARGET_LABELS = {"pod", "namespace", "instance", "job"}
SELECTOR = re.compile(r"([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\}")


def exposed() -> dict[str, set[str]]:
    """Each series name /metrics shows (generate_latest of this registry), and its labels."""
    names: dict[str, set[str]] = {}
    for family in REGISTRY.collect():
        labels = {label for sample in family.samples for label in sample.labels}
        labels |= set(getattr(REGISTRY._names_to_collectors.get(family.name), "_labelnames", ()))
        for suffix in SUFFIXES.get(family.type, ("",)):
            names[family.name + suffix] = labels | ({"le"} if suffix == "_bucket" else set())
    return names


def expressions(dashboard: dict[str, Any]) -> list[str]:
    return [target["expr"] for panel in dashboard["panels"]
            for target in panel.get("targets", [])]


@pytest.fixture(scope="module")
def dashboard() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DASHBOARD.read_text())
    return loaded


def test_every_metric_queried_exists_with_the_labels_used(dashboard: dict[str, Any]) -> None:
    metrics = exposed()
    for expr in expressions(dashboard):
        selectors = SELECTOR.findall(expr)
        assert selectors, f"write every metric with a selector: {expr}"
        for name, matchers in selectors:
            assert name in metrics, f"{name} is not exposed by the services ({expr})"
            used = {m.split("=")[0].strip().rstrip("!~") for m in matchers.split(",") if m}
            unknown = used - metrics[name] - TARGET_LABELS
            assert not unknown, f"{name} has no labels {unknown}"
        bare = set(re.findall(r"\b(civiloop_[a-z_]+)\b(?!\{)", expr))
        assert not bare, f"{bare} without a selector in {expr}"


def test_the_dashboard_covers_lag_dead_letters_backlog_and_latency(
        dashboard: dict[str, Any]) -> None:
    queried = {name for expr in expressions(dashboard) for name, _ in SELECTOR.findall(expr)}
    for metric in ("civiloop_consumer_lag", "civiloop_events_dlq_total",
                   "civiloop_outbox_backlog", "civiloop_event_handle_seconds_bucket"):
        assert metric in queried


def test_a_misspelt_metric_would_be_caught() -> None:
    assert "civiloop_consumer_lags" not in exposed()
    assert "civiloop_consumer_lag" in exposed()


def test_every_panel_reads_the_chosen_prometheus(dashboard: dict[str, Any]) -> None:
    variables = {v["name"]: v for v in dashboard["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource"
    for panel in dashboard["panels"]:
        if panel["type"] != "row":
            assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}

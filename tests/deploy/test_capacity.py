"""docs/capacity.md shows what bench/capacity.py computes, and deploy/k8s follows the plan."""

from __future__ import annotations

from bench import capacity
from tests.deploy.k8s import ROOT, of_kind, render

DOC = ROOT / "docs" / "capacity.md"
OVERLAY_SCALES = {"small-district": "small district", "large-district": "large district (昆区)"}


def test_the_doc_shows_the_scripts_table() -> None:
    assert capacity.table() in DOC.read_text(), (
        "docs/capacity.md is out of date: paste `uv run --frozen python -m bench.capacity`")


def test_the_arithmetic_follows_its_inputs() -> None:
    """Twice the orders never need fewer of anything, and partitions bound the replicas."""
    for scale in capacity.SCALES:
        base = capacity.plan(scale)
        double = capacity.plan(capacity.Scale(scale.name, scale.districts,
                                              scale.orders_per_day * 2))
        assert double.mongo_ops_s == 2 * base.mongo_ops_s
        assert (double.replicas, double.partitions, double.brokers, double.shards) >= (
            base.replicas, base.partitions, base.brokers, base.shards)
        assert base.replicas <= base.partitions
        assert base.partitions % 12 == 0


def test_each_overlay_has_the_partitions_and_room_its_scale_needs() -> None:
    scales = {s.name: capacity.plan(s) for s in capacity.SCALES}
    for overlay, scale in OVERLAY_SCALES.items():
        docs = render(overlay)
        partitions = int(of_kind(docs, "ConfigMap")["civiloop-env"]["data"]["KAFKA_PARTITIONS"])
        assert partitions == scales[scale].partitions, overlay
        for scaled in of_kind(docs, "ScaledObject").values():
            assert scaled["spec"]["maxReplicaCount"] >= scales[scale].replicas, overlay

"""The capacity plan's arithmetic (docs/capacity.md): from per-order costs to partitions,
replicas, brokers and MongoDB shards for one district, a province and the whole country.

Every input is a named constant below, with where it comes from; change one (new costs from
docs/performance.md, a district's real order counts) and run
``uv run --frozen python -m bench.capacity`` to print the tables docs/capacity.md shows.
tests/deploy/test_capacity.py fails while the doc and this output differ.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# --- per closed order (DESIGN.md §7: main of 2026-12-03, `make run` + two `make load` runs
# differenced; docs/performance.md will publish the cut figures) ---------------------------
MEASURED_MONGO_OPS = 205.0  # ≈41 inserts, 48 updates, 80 queries, 36 other commands
MEASURED_KAFKA_MESSAGES = 10.5  # sum of the topics' end offsets per closed order
# Added since, counted not measured (docs/services/stats.md): requests announces each of the
# seven lines of a served and rated order's timeline (OrderStepRecorded), ~25 operations.
TIMELINE_MONGO_OPS, TIMELINE_MESSAGES = 25.0, 7.0
MONGO_OPS_PER_ORDER = MEASURED_MONGO_OPS + TIMELINE_MONGO_OPS
KAFKA_MESSAGES_PER_ORDER = MEASURED_KAFKA_MESSAGES + TIMELINE_MESSAGES
# Log bytes per order per replica: 7.3 KB for the ten records of docs/events.md ("Disk"),
# scaled to the messages an order makes now.
KAFKA_BYTES_PER_ORDER = 7_300 / 10 * KAFKA_MESSAGES_PER_ORDER
# CPU of the five services per closed order, core-seconds: bench/footprint.py during
# `make load STATIONS=5 ORDERS=240 RATE=1` (0.9 orders closed/s): 0.38 cores for the five.
SERVICE_CORE_S_PER_ORDER = 0.42
BUSIEST_SERVICE_SHARE = 0.26  # volunteers: 0.097 of the 0.38 cores

# --- planning figures (assumptions: replace them with a measurement of your own servers) ---
REPLICA_CORES = 1.0  # what one replica may use at its busiest (requests are below: docs)
TARGET_UTILISATION = 0.6  # plan peaks at 60% of capacity
SHARD_OPS_PER_S = 10_000  # one 3-member mongod replica set (8 cores, NVMe, majority writes)
BROKER_PARTITION_REPLICAS = 4_000  # a comfortable ceiling per Kafka broker
BROKER_MB_PER_S = 50.0  # replicated log writes one broker sustains with room to spare
TOPICS = 10  # five event logs and their dead-letter twins (civiloop_contracts.topics)
REPLICATION = 3
MIN_REPLICAS, MIN_BROKERS, PARTITION_STEP = 2, 3, 12  # 12 divides by 1, 2, 3, 4, 6, 12

# --- load (assumptions from the source: 昆区, 114,000 volunteers, ~20 hours a year each) ----
PEAK_HOUR_SHARE = 0.15  # a day's busiest hour carries 15% of its orders
CAMPAIGN_FACTOR = 5.0  # a campaign day (学雷锋日, 3 March) brings five times the orders


@dataclass(frozen=True)
class Scale:
    """One deployment's load: how many districts and orders a normal day brings."""

    name: str
    districts: int
    orders_per_day: float  # all districts together, a normal day


SCALES = (
    Scale("small district", 1, 50),
    Scale("large district (昆区)", 1, 1_000),
    Scale("province (~90 districts)", 90, 90 * 200),
    Scale("country (2,800 districts)", 2_800, 2_800 * 200),
)


@dataclass(frozen=True)
class Plan:
    """What one scale needs at its campaign-day peak hour."""

    peak_orders_s: float
    kafka_msgs_s: float
    kafka_mb_s: float
    mongo_ops_s: float
    replicas: int  # of the busiest service
    partitions: int
    brokers: int
    shards: int
    kafka_gb_year: float


def plan(scale: Scale) -> Plan:
    """The arithmetic for ``scale``, step by step as docs/capacity.md explains it."""
    peak = scale.orders_per_day * CAMPAIGN_FACTOR * PEAK_HOUR_SHARE / 3600
    cores = peak * SERVICE_CORE_S_PER_ORDER * BUSIEST_SERVICE_SHARE
    replicas = max(MIN_REPLICAS, math.ceil(cores / (REPLICA_CORES * TARGET_UTILISATION)))
    # Room to double the replicas later without adding partitions (which moves keys).
    partitions = max(PARTITION_STEP, math.ceil(2 * replicas / PARTITION_STEP) * PARTITION_STEP)
    mb_s = peak * KAFKA_BYTES_PER_ORDER / 1e6
    brokers = max(MIN_BROKERS,
                  math.ceil(TOPICS * partitions * REPLICATION / BROKER_PARTITION_REPLICAS),
                  math.ceil(mb_s * REPLICATION / (BROKER_MB_PER_S * TARGET_UTILISATION)))
    ops = peak * MONGO_OPS_PER_ORDER
    shards = max(1, math.ceil(ops / (SHARD_OPS_PER_S * TARGET_UTILISATION)))
    gb_year = scale.orders_per_day * 365 * KAFKA_BYTES_PER_ORDER * REPLICATION / 1e9
    return Plan(peak, peak * KAFKA_MESSAGES_PER_ORDER, mb_s, ops, replicas, partitions,
                brokers, shards, gb_year)


def table() -> str:
    """The plan for every scale as a Markdown table."""
    rows = ["| scale | orders/day | peak orders/s | Kafka msgs/s | MongoDB ops/s | replicas "
            "(busiest service) | partitions per topic | brokers | MongoDB shards | Kafka GB/year "
            "(×3 replicas) |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for scale in SCALES:
        p = plan(scale)
        rows.append(f"| {scale.name} | {scale.orders_per_day:,.0f} | {p.peak_orders_s:,.2f} | "
                    f"{p.kafka_msgs_s:,.1f} | {p.mongo_ops_s:,.0f} | {p.replicas} | "
                    f"{p.partitions} | {p.brokers} | {p.shards} | {p.kafka_gb_year:,.1f} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(table())

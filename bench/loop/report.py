"""The loop benchmark's figures as lines of text."""

from __future__ import annotations

from typing import Any


def _kv(d: dict[str, Any] | None) -> str:
    return ", ".join(f"{k} {v}" for k, v in (d or {}).items()) or "-"


def _pct(d: dict[str, Any] | None) -> str:
    d = d or {}
    return f"p50 {d.get('p50')} s · p99 {d.get('p99')} s"


def lines(f: dict[str, Any]) -> list[str]:
    """What a person reads at the end of a run."""
    m, cost = f["machine"], f.get("cost", {})
    out = [f"loop benchmark · {m['date']} · {m['commit']} · {m['cpus']} cores · "
           f"{f.get('store')} · load {m['load_at_start']} → {m.get('load_at_end')}",
           "", "cost of one closed order (marginal, at "
           f"{cost.get('rate')}/s over {cost.get('orders')} orders):",
           f"  database operations   {cost.get('db_ops_per_order')}  ({_kv(cost.get('db_ops_by_kind'))})",
           f"  by service            {_kv(cost.get('db_ops_by_service'))}",
           f"  Kafka records         produced {cost.get('kafka_produced_per_order')}, "
           f"consumed {cost.get('kafka_consumed_per_order')}"]
    if knee := f.get("knee"):
        out += ["", f"the loop: knee at {knee['rate']}/s (first failing {knee['first_failing_rate']}"
                f"/s), {knee['closed_per_s']} closed orders/s"]
        out += [f"  step {s['rate']}/s × {s['orders']}: closed {s['closed']}, "
                f"{s['closed_per_s']}/s, keeps up {s['keeps_up']}, placed→closed "
                f"{_pct(s['placed_to_closed_s'])}" for s in knee["steps"]]
    if half := f.get("half"):
        out.append(f"  at half the knee ({half['rate']}/s): placed→dispatched "
                   f"{_pct(half['placed_to_dispatched_s'])}; placed→closed "
                   f"{_pct(half['placed_to_closed_s'])}")
    if idle := f.get("idle"):
        out += ["", f"idle: {idle['db_ops_per_s']} database operations/s "
                f"({_kv(idle['by_command'])})"]
    if rawf := f.get("raw"):
        s, k = rawf["store"], rawf["kafka"]
        out += ["", "raw limits:",
                f"  store   {s['calls_per_s']} calls/s of the loop's mix {s['mix_per_order']} "
                f"with {s['clients']} clients = {s['orders_per_s']} orders/s",
                f"  Kafka   {k['records_per_s']} records/s through {k['hops']} hops "
                f"({k['record_bytes']} B) = {k['orders_per_s']} orders/s"]
    if r := f.get("ratio"):
        out.append(f"  loop ÷ limit = {r['loop_closed_per_s']} ÷ {r['limit_orders_per_s']} = "
                   f"{r['loop_over_limit']}")
    if prof := f.get("profile"):
        out += ["", "profile (share of samples with the frame on the stack):"]
        for name, frames in prof.items():
            out.append(f"  {name}: " + "; ".join(f"{fr} {share:.0%}" for fr, share in frames[:6]))
    return out

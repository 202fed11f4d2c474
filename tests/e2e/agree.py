"""Stats' JSON and CSV against the recount from the owning services, figure by figure.

``disagreements(urls)`` reads the owners, then asks stats as of one moment for the figures
of every unit, the units table of the centre and each institute, the platforms and
categories tables and the daily trend of the centre, each as JSON and as CSV, and lists
every value that differs from the recount (empty: they agree).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from time import monotonic, sleep
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from civiloop_devstack.demo import bearer
from tests.e2e.owners import Owners, Reader
from tests.e2e.recount import Ask, Value, as_row, recount

ZONE = ZoneInfo("Asia/Shanghai")  # STATS_TIMEZONE's default
TREND_SPAN = timedelta(days=30)  # the daily trend's default reach back from as_of


def population(owners: Owners, code: str, as_of: datetime) -> int | None:
    """The unit's residents in force at ``as_of``, else the sum of its children's."""
    own = [p for p in owners.units[code]["population"]
           if datetime.combine(date.fromisoformat(p["since"]), time(), ZONE) <= as_of]
    if own:
        return int(max(own, key=lambda p: str(p["since"]))["residents"])
    children = [population(owners, c, as_of) for c, u in owners.units.items()
                if u["parent"] == code]
    known = [n for n in children if n is not None]
    return sum(known) if known else None


class Stats:
    """Stats' answers as of one moment, as the district admin sees them."""

    def __init__(self, url: str, as_of: datetime) -> None:
        self.url, self.as_of = url, as_of
        self.auth = bearer("district_admin", "recount")

    def get(self, path: str, **params: Any) -> httpx.Response:
        """One GET as of the moment; raise with the answer when it fails."""
        reply = httpx.get(f"{self.url}/api/v1/stats{path}", headers=self.auth, timeout=60,
                          params={"as_of": self.as_of.isoformat(), **params})
        if reply.status_code != 200:
            raise AssertionError(f"GET stats{path}: {reply.status_code} {reply.text[:300]}")
        return reply

    def table(self, name: str, **params: Any) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
        """A table's rows as JSON and as CSV."""
        rows: list[dict[str, Any]] = self.get(f"/tables/{name}", **params).json()["rows"]
        text = self.get(f"/tables/{name}", format="csv", **params).text
        return rows, list(csv.DictReader(io.StringIO(text)))


def differ(where: str, shown: dict[str, Any], expected: Mapping[str, Value | str]) -> list[str]:
    """One line per key whose value differs (a key missing on either side too)."""
    return [f"{where} {key}: stats {shown.get(key, '-')!r}, owners {expected.get(key, '-')!r}"
            for key in sorted(set(shown) | set(expected)) if shown.get(key) != expected.get(key)]


def compare_rows(where: str, key: str, json_rows: list[dict[str, Any]],
                 csv_rows: list[dict[str, str]], expect: Any) -> list[str]:
    """Each JSON row and its CSV twin against ``expect(row key)``."""
    found: list[str] = []
    if len(json_rows) != len(csv_rows):
        found.append(f"{where}: {len(json_rows)} JSON rows but {len(csv_rows)} CSV rows")
    for row, text in zip(json_rows, csv_rows, strict=False):
        expected = expect(row[key])
        values = {k: v for k, v in row.items() if k in expected}
        found += differ(f"{where} {row[key]} (JSON)", values, expected)
        found += differ(f"{where} {row[key]} (CSV)", {k: text.get(k) for k in expected},
                        as_row(expected))
    return found


def disagreements(urls: dict[str, str]) -> list[str]:
    """Every figure stats publishes that the owners' lists do not give (empty: all agree)."""
    owners = Reader(urls).read()
    as_of = datetime.now(UTC)
    stats, found = Stats(urls["stats"], as_of), []

    def expect(code: str, **narrow: Any) -> dict[str, Value]:
        return recount(owners, Ask(code, as_of, **narrow), population(owners, code, as_of))

    centre = next(c for c, u in owners.units.items() if u["level"] == "centre")
    for code in owners.units:
        found += differ(f"figures {code}", stats.get("/figures", unit=code).json()["figures"],
                        expect(code))
    rows, text = stats.table("figures", unit=centre)
    found += differ(f"figures table {centre}", {r["figure"]: r["value"] for r in rows},
                    expect(centre))
    found += differ(f"figures.csv {centre}", {r["figure"]: r["value"] for r in text},
                    as_row(expect(centre)))
    for code in [c for c, u in owners.units.items() if u["level"] != "station"]:
        found += compare_rows(f"units of {code}", "unit", *stats.table("units", unit=code),
                              expect)
    for dimension, table in (("platform", "platforms"), ("category", "categories")):
        found += compare_rows(f"{table} of {centre}", dimension,
                              *stats.table(table, unit=centre),
                              lambda value, d=dimension: expect(centre, **{d: value}))
    found += compare_rows("trend", "period", *stats.table("trend", unit=centre, grain="day"),
                          lambda day: _day(owners, centre, as_of, day))
    return found


def _day(owners: Owners, code: str, as_of: datetime, label: str) -> dict[str, Value]:
    """The flow figures of one day of the trend (the first day starts 30 days before as_of)."""
    start = datetime.combine(date.fromisoformat(label), time(), ZONE)
    since = max(start, as_of - TREND_SPAN)
    until = min(start + timedelta(days=1) - timedelta(milliseconds=1), as_of)
    values = recount(owners, Ask(code, until, since=since), None)
    stocks = ("registered_volunteers", "population", "registration_rate", "organisations",
              "teams", "honours", "open_follow_ups")
    ratios = ("hours_per_registered_volunteer", "hours_per_active_volunteer", "average_stars",
              "share_4_5_stars", "share_unrated")
    return {k: v for k, v in values.items() if k not in stocks + ratios}


def settled_disagreements(urls: dict[str, str], within_s: float = 180.0,
                          calm_s: float = 3.0) -> list[str]:
    """The disagreements once stats has caught up: [] when two reads ``calm_s`` apart agree.

    Stats and the owners hear of each fact at different moments, so a read may disagree
    while events are on their way; one that agrees may still precede a late event, hence
    the second read. Gives the last disagreements if they never settle within ``within_s``.
    """
    deadline = monotonic() + within_s
    found = disagreements(urls)
    while monotonic() < deadline:
        if not found:
            sleep(calm_s)
            found = disagreements(urls)
            if not found:
                return found
        else:
            sleep(1.0)
            found = disagreements(urls)
    return found

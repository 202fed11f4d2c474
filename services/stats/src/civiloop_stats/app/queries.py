"""The one query behind every table: the JSON API, the CSV export and the dashboard use it.

A table is computed from one snapshot of the asked unit; its rows apply the figure
definitions to child units, platforms, categories or calendar buckets.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from civiloop_contracts.values import Platform
from civiloop_stats.domain import tables
from civiloop_stats.domain.definitions import FIGURES, FLOW_KEYS
from civiloop_stats.domain.facts import Snapshot
from civiloop_stats.domain.figures import summarise
from civiloop_stats.domain.periods import Grain, buckets
from civiloop_stats.domain.scope import Scope
from civiloop_stats.domain.units import Tree

Row = dict[str, Any]
FIGURE_KEYS = [f.key for f in FIGURES]
DISTRICT_ZONE = ZoneInfo("Asia/Shanghai")
DEFAULT_SPAN = {Grain.DAY: timedelta(days=30), Grain.MONTH: timedelta(days=365),
                Grain.YEAR: timedelta(days=5 * 366)}


class TableName(StrEnum):
    """Every table the API and the dashboard show."""

    FIGURES = "figures"  # one row per figure of the unit
    UNITS = "units"  # the unit's children side by side (drill-down, fairness)
    PLATFORMS = "platforms"
    CATEGORIES = "categories"
    TREND = "trend"  # flow figures per day, month or year
    HONOURS = "honours"  # per title and level
    HONOUR_BOARD = "honour-board"
    STAR_LEVELS = "star-levels"
    SURVEY_DEMAND = "survey-demand"


@dataclass
class Table:
    """Columns in order and one dict per row; the CSV writes exactly these."""

    name: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)


@dataclass(frozen=True)
class Ask:
    """A table request: which table, for which scope, cut how."""

    table: TableName
    scope: Scope
    grain: Grain = Grain.MONTH
    zone: ZoneInfo = DISTRICT_ZONE


Loader = Callable[[Scope], Awaitable[Snapshot]]


async def query(ask: Ask, tree: Tree, load: Loader) -> Table:
    """The table ``ask`` names, computed from one snapshot of its unit."""
    snapshot, scope = await load(ask.scope), ask.scope
    if ask.table is TableName.FIGURES:
        values = summarise(snapshot, scope, tree.population(scope.code, scope.as_of))
        return Table(ask.table, ["figure", "zh", "en", "value"], [
            {"figure": f.key, "zh": f.zh, "en": f.en, "value": values[f.key]} for f in FIGURES])
    if ask.table is TableName.UNITS:
        rows = [{"unit": u.code, "name": u.name, **summarise(
            snapshot, scope.narrowed(level=u.level, code=u.code),
            tree.population(u.code, scope.as_of))} for u in tree.children(scope.code)]
        return Table(ask.table, ["unit", "name", *FIGURE_KEYS], rows)
    if ask.table is TableName.PLATFORMS:
        return _by(ask.table, "platform", snapshot, scope, tree, [p.value for p in Platform])
    if ask.table is TableName.CATEGORIES:
        cats = sorted({o.category for o in snapshot.orders.values() if o.category})
        return _by(ask.table, "category", snapshot, scope, tree, cats)
    if ask.table is TableName.TREND:
        return _trend(ask, snapshot)
    return _simple(ask.table, snapshot, scope)


def _by(name: str, dimension: str, snapshot: Snapshot, scope: Scope, tree: Tree,
        values: list[str]) -> Table:
    population = tree.population(scope.code, scope.as_of)
    rows = [{dimension: v, **summarise(snapshot, scope.narrowed(**{dimension: v}), population)}
            for v in values]
    return Table(name, [dimension, *FIGURE_KEYS], rows)


def _trend(ask: Ask, snapshot: Snapshot) -> Table:
    scope = ask.scope
    since = scope.since or scope.as_of - DEFAULT_SPAN[ask.grain]
    rows = []
    for label, first, last in buckets(since, scope.as_of, ask.grain, ask.zone):
        values = summarise(snapshot, scope.narrowed(since=first, as_of=last), None)
        rows.append({"period": label, **{k: values[k] for k in FLOW_KEYS}})
    return Table(ask.table, ["period", *FLOW_KEYS], rows)


SIMPLE = {
    TableName.HONOURS: (tables.honours_by_title, ["title", "level", "honours"]),
    TableName.HONOUR_BOARD: (tables.honour_board,
                             ["title", "level", "year", "holder", "station", "institute"]),
    TableName.STAR_LEVELS: (tables.volunteers_by_star_level, ["stars", "volunteers"]),
    TableName.SURVEY_DEMAND: (tables.survey_demand,
                              ["station", "rank", "demand", "label", "platform", "answers"]),
}


def _simple(name: TableName, snapshot: Snapshot, scope: Scope) -> Table:
    build, columns = SIMPLE[name]
    return Table(name, columns, build(snapshot, scope))

"""Tables beside the headline figures: honours, star levels, survey demand."""

from __future__ import annotations

from collections import Counter
from typing import Any

from civiloop_stats.domain.facts import Snapshot, as_of
from civiloop_stats.domain.figures import volunteer_place
from civiloop_stats.domain.scope import Scope

Row = dict[str, Any]


def honours_by_title(snapshot: Snapshot, scope: Scope) -> list[Row]:
    """Honours standing at ``as_of`` in the scope, counted per title and level."""
    counts = Counter((h.title, h.level) for h in snapshot.honours if scope.covers(h.place)
                     and h.awarded_at <= scope.as_of
                     and (h.revoked_at is None or h.revoked_at > scope.as_of))
    return [{"title": t, "level": lv, "honours": n} for (t, lv), n in sorted(counts.items())]


def honour_board(snapshot: Snapshot, scope: Scope) -> list[Row]:
    """The good-deeds board (善行义举榜): standing honours, masked names only, newest first."""
    rows = [{"title": h.title, "level": h.level, "year": h.year, "holder": h.holder_name,
             "station": h.place.station or "", "institute": h.place.institute or ""}
            for h in snapshot.honours if scope.covers(h.place) and h.awarded_at <= scope.as_of
            and (h.revoked_at is None or h.revoked_at > scope.as_of)]
    # A total order, so the same facts always list the same way (replay, CSV, screen).
    return sorted(rows, key=lambda r: (-r["year"], r["title"], r["level"], r["holder"],
                                       r["institute"], r["station"]))


def volunteers_by_star_level(snapshot: Snapshot, scope: Scope) -> list[Row]:
    """Registered volunteers of the scope at ``as_of`` by star level (星级志愿者).

    The level is the one the volunteers service last announced by then: it alone knows the
    thresholds it is configured with (STAR_THRESHOLDS_H), so stats keeps no table of its own.
    """
    levels = Counter(as_of(v.stars, scope.as_of) or 0 for v in snapshot.volunteers
                     if v.registered_at is not None and v.registered_at <= scope.as_of
                     and as_of(v.statuses, scope.as_of) != "left"
                     and scope.covers(volunteer_place(v, scope.as_of)))
    return [{"stars": s, "volunteers": levels[s]} for s in range(6)]


def survey_demand(snapshot: Snapshot, scope: Scope) -> list[Row]:
    """Needs-survey demand per station: choices ranked by how often residents picked them."""
    counts: Counter[tuple[str, str, str]] = Counter()
    labels: dict[str, str] = {}
    for answer in snapshot.answers:
        if scope.covers(answer.place) and scope.in_period(answer.at):
            for choice_id in set(answer.choice_ids):
                choice = snapshot.choices.get((answer.survey_id, choice_id))
                if choice is not None:
                    key = choice.category or choice.platform or choice.label
                    labels[key] = min(labels.get(key, choice.label), choice.label)  # stable
                    counts[(answer.place.station or "", key, choice.platform or "")] += 1
    rows: list[Row] = []
    for station in sorted({s for s, _, _ in counts}):
        ranked = sorted(((n, k, p) for (s, k, p), n in counts.items() if s == station),
                        key=lambda t: (-t[0], t[1], t[2]))
        rows += [{"station": station, "rank": i, "demand": k, "label": labels[k], "platform": p,
                  "answers": n}
                 for i, (n, k, p) in enumerate(ranked, start=1)]
    return rows

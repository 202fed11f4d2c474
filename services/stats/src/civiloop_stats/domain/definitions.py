"""Every figure the stats service reports, defined once: key, labels and what it counts.

docs/services/stats.md repeats this table (a test keeps the two in step); the computations
in ``figures.py`` follow these sentences, and nothing else names a figure's meaning.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """How a figure relates to the period asked for."""

    STOCK = "stock"  # as of the period's end (``as_of``)
    FLOW = "flow"  # what happened inside the period (``since`` <= time <= ``as_of``)
    RATIO = "ratio"  # computed from other figures of the same period


@dataclass(frozen=True)
class Figure:
    """One reported figure: its key in JSON and CSV, its labels, its definition."""

    key: str
    zh: str
    en: str
    kind: Kind
    definition: str


F = Figure
FIGURES: tuple[Figure, ...] = (
    F("registered_volunteers", "注册志愿者", "Registered volunteers", Kind.STOCK,
      "Volunteers registered (VolunteerRegistered) at or before as_of whose latest status "
      "at as_of is not `left`, counted in the unit they belong to at as_of."),
    F("population", "常住人口", "Resident population", Kind.STOCK,
      "The unit's resident population in force at as_of (units tree); a unit without its own "
      "figure counts the sum of its children's."),
    F("registration_rate", "注册率", "Registration rate", Kind.RATIO,
      "registered_volunteers ÷ population (the source: 114,000 and 14.7%)."),
    F("organisations", "志愿服务组织", "Volunteer organisations", Kind.STOCK,
      "Organisations registered (OrganisationRegistered) at or before as_of and not "
      "dissolved (OrganisationUpdated, active false) by then."),
    F("teams", "志愿服务队", "Volunteer teams", Kind.STOCK,
      "Teams registered (TeamRegistered) at or before as_of and not set inactive "
      "(TeamUpdated active=false) as of as_of."),
    F("orders_placed", "群众点单", "Orders placed", Kind.FLOW,
      "Orders whose placing (OrderPlaced; requests' first timeline line) is in the period."),
    F("orders_dispatched", "部门派单", "Orders dispatched", Kind.FLOW,
      "Orders that reached `dispatched` (requests' timeline, see \"Reached\") in the period; "
      "a dispatch requests ignored (after the cancel) never counts."),
    F("orders_accepted", "志愿者接单", "Orders accepted", Kind.FLOW,
      "Orders that reached `accepted` (requests' timeline) in the period."),
    F("orders_completed", "服务完成", "Orders completed", Kind.FLOW,
      "Orders that reached `completed` (requests' timeline) in the period."),
    F("orders_rated", "老百姓评单", "Orders rated", Kind.FLOW,
      "Orders that reached `rated` (requests took the rating) in the period."),
    F("orders_closed_unrated", "未评价关闭", "Orders closed unrated", Kind.FLOW,
      "Orders whose latest ending line (requests' timeline) at or before as_of has outcome "
      "`unrated`, not reopened since, with that close in the period."),
    F("orders_cancelled", "已取消", "Orders cancelled", Kind.FLOW,
      "Orders that reached `cancelled` (requests' timeline) in the period."),
    F("orders_escalated", "已升级", "Orders escalated", Kind.FLOW,
      "Orders whose first `escalated` line (requests' timeline) is in the period."),
    F("orders_unassignable", "无法派单", "Orders unassignable", Kind.FLOW,
      "Orders that reached `unassignable` (requests' timeline) in the period."),
    F("activities_held", "文明实践活动", "Activities held", Kind.FLOW,
      "Activities held (ActivityHeld, requests' activities) in the period, plus completions "
      "(ServiceCompleted) in the period of orders placed as group activities (OrderPlaced "
      "group_activity=true)."),
    F("people_served", "服务群众人次", "People served", Kind.FLOW,
      "Sum of people_served over ServiceCompleted events in the period, plus the head-count "
      "served (ActivityHeld served) of the activities held in the period."),
    F("service_hours", "志愿服务时长", "Approved service hours", Kind.FLOW,
      "Sum of approved hours (ServiceHoursApproved; the latest approval per order and "
      "volunteer at as_of counts) approved in the period, in the unit of the volunteer "
      "(else of the order)."),
    F("hours_per_registered_volunteer", "人均时长", "Hours per registered volunteer", Kind.RATIO,
      "service_hours ÷ registered_volunteers (人均时长; the source: 20 hours)."),
    F("active_volunteers", "活跃志愿者", "Active volunteers", Kind.FLOW,
      "Volunteers with approved hours in the period."),
    F("hours_per_active_volunteer", "活跃志愿者人均时长", "Hours per active volunteer", Kind.RATIO,
      "service_hours ÷ active_volunteers (labelled apart from 人均时长)."),
    F("dispatch_median_min", "派单用时中位数(分)", "Placed→dispatched, median (min)", Kind.FLOW,
      "Median minutes from placing to reaching `dispatched`, over orders placed in the "
      "period and dispatched by as_of (linear interpolation between ranks)."),
    F("dispatch_p90_min", "派单用时P90(分)", "Placed→dispatched, p90 (min)", Kind.FLOW,
      "90th percentile of the same minutes (linear interpolation between ranks)."),
    F("accept_median_min", "接单用时中位数(分)", "Placed→accepted, median (min)", Kind.FLOW,
      "Median minutes from placing to reaching `accepted`, as above."),
    F("accept_p90_min", "接单用时P90(分)", "Placed→accepted, p90 (min)", Kind.FLOW,
      "90th percentile of the same minutes."),
    F("complete_median_min", "完成用时中位数(分)", "Placed→completed, median (min)", Kind.FLOW,
      "Median minutes from placing to reaching `completed`, as above."),
    F("complete_p90_min", "完成用时P90(分)", "Placed→completed, p90 (min)", Kind.FLOW,
      "90th percentile of the same minutes."),
    F("average_stars", "平均星级", "Average stars", Kind.RATIO,
      "Mean stars of the orders_rated (feedback's rating: its highest revision)."),
    F("share_4_5_stars", "好评率(4-5星)", "Share rated 4–5 stars", Kind.RATIO,
      "orders_rated with 4 or 5 stars ÷ orders_rated."),
    F("share_unrated", "未评价率", "Share closed unrated", Kind.RATIO,
      "orders_closed_unrated ÷ (orders_rated + orders_closed_unrated)."),
    F("open_follow_ups", "待处理回访", "Open follow-ups", Kind.STOCK,
      "Follow-ups opened (FollowUpOpened) at or before as_of and not resolved by as_of."),
    F("honours", "先进典型", "Honours", Kind.STOCK,
      "Honours awarded (HonourAwarded) at or before as_of and not revoked by as_of."),
)
BY_KEY = {figure.key: figure for figure in FIGURES}
FLOW_KEYS = tuple(f.key for f in FIGURES if f.kind is Kind.FLOW)


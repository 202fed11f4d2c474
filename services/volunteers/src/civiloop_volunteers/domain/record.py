"""A volunteer's own service record (志愿服务记录) as a downloadable platform record (平台记录).

Four blocks, as the record form has them: identity, hours and content, recorder, and the
record's number and date. Only final and approved hours count in the total; pending and
rejected entries are listed with their status so nothing is hidden.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

from civiloop_volunteers.domain.ledger import HoursEntry, counted_hours
from civiloop_volunteers.domain.volunteer import Volunteer

PLATFORM = "新时代文明实践志愿服务平台 (civiloop)"
STATUS_NAMES = {"final": "签到签退", "approved": "已审核", "pending": "待审核",
                "rejected": "未通过"}


def record_number(volunteer: Volunteer, issued_at: datetime) -> str:
    """The record's number: the volunteer and the moment it was issued."""
    return f"VR-{volunteer.volunteer_id}-{issued_at:%Y%m%d%H%M%S}"


def record_csv(volunteer: Volunteer, entries: list[HoursEntry], issued_at: datetime) -> str:
    """The record as CSV text (UTF-8 with BOM, so spreadsheet programs read the Chinese)."""
    out = io.StringIO()
    out.write("\ufeff")
    w = csv.writer(out)
    public = volunteer.public()
    w.writerow(["平台记录 Platform record", "志愿服务记录 Volunteer service record"])
    w.writerow([])
    w.writerow(["一、身份信息 Identity"])
    for label, value in [("姓名 Name", volunteer.name),
                         ("证件类型 ID type", volunteer.id_type.value),
                         ("证件号码 ID number", public["id_number"]),
                         ("志愿者编号 Volunteer number", volunteer.volunteer_number or ""),
                         ("所属站点 Home unit", _unit_text(volunteer)),
                         ("星级 Star level", str(volunteer.star_level))]:
        w.writerow([label, value])
    w.writerow([])
    w.writerow(["二、服务时长与内容 Hours and content"])
    w.writerow(["日期 Date", "工单/活动 Order or activity", "内容 Content", "时长 Hours",
                "状态 Status", "记录人 Recorded by", "审核人 Decided by"])
    for e in sorted(entries, key=lambda e: (e.served_on, e.recorded_at)):
        w.writerow([e.served_on.isoformat(), e.order_id or e.activity_name or e.activity_id,
                    e.content, f"{e.hours:g}", STATUS_NAMES[e.status.value],
                    f"{e.recorded_by.role.value} {e.recorded_by.id}",
                    f"{e.decided_by.role.value} {e.decided_by.id}" if e.decided_by else ""])
    w.writerow(["累计有效时长 Counted hours", f"{counted_hours(entries):g}"])
    w.writerow([])
    w.writerow(["三、记录人 Recorder", PLATFORM])
    w.writerow(["说明 Note", "时长由签到签退或经队长、站点审核的补录形成 "
                "(hours from check-in/out, or filled in and approved by a team leader or station)"])
    w.writerow([])
    w.writerow(["四、编号与日期 Number and date"])
    w.writerow(["编号 Number", record_number(volunteer, issued_at)])
    w.writerow(["出具日期 Issued", issued_at.date().isoformat()])
    return out.getvalue()


def _unit_text(volunteer: Volunteer) -> str:
    unit = volunteer.unit
    return " / ".join(p for p in (unit.centre, unit.institute, unit.station) if p)


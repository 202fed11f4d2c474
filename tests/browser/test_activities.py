"""An activity (文明实践活动) through the screens, on the real stack.

The station clerk plans and publishes it at a desk and shows the check-in code; a resident
signs up on a phone (and gives a place back on tomorrow's); another walks in and checks in
with the code; a volunteer serves as staff; the clerk ticks the list, counts the walk-ins and
holds it; the resident who came rates it; the volunteer's hours page shows the activity's
hours.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.async_api import Browser, Page, expect

from tests.browser.district import ADMIN, INSTITUTE, WANHE, District, bearer, resident_id, unit
from tests.browser.pages import LIVE_S, no_wider_than_the_screen, open_page, shot, sign_in
from tests.e2e.stack import Stack

pytestmark = pytest.mark.integration
SHANGHAI = ZoneInfo("Asia/Shanghai")  # the pages' time zone (pages.open_page)
CLERK = bearer("station_operator", "op-activities", WANHE, INSTITUTE)
TITLE = "冬季义诊进社区"


def _tomorrows(district: District) -> str:
    """A published activity tomorrow at 万和 (planned through the API), for sign-up and cancel."""
    start = datetime.now(UTC) + timedelta(days=1)
    made = district.call("requests", "POST", "/api/v1/requests/activities", headers=CLERK, json={
        "unit": unit(WANHE), "category": "health_education", "title": "健康知识讲座",
        "venue": "万和阳光社区活动室", "capacity": 40,
        "window": {"start": start.isoformat(), "end": (start + timedelta(hours=2)).isoformat()}})
    district.call("requests", "POST", f"/api/v1/requests/activities/{made['activity_id']}/publish",
                  headers=CLERK)
    return str(made["activity_id"])


async def _clerk_plans_and_publishes(clerk: Page) -> tuple[str, str]:
    """Plan today's clinic (begun ten minutes ago: the doors are open) and publish it."""
    now = datetime.now(SHANGHAI)
    start = max(now - timedelta(minutes=10), now.replace(hour=0, minute=0))
    end = min(start + timedelta(hours=2), now.replace(hour=23, minute=59))
    await clerk.goto("/station/activities")
    await clerk.click("[data-test=plan-open]")
    await clerk.fill("[data-test=activity-title]", TITLE)
    await clerk.click("[data-test=plan]")  # no category, no venue: each is refused at its field
    await expect(clerk.locator("[data-error=category]")).to_be_visible()
    await clerk.select_option("[data-test=activity-category]", "free_clinic")
    await clerk.click("[data-test=plan]")
    await expect(clerk.locator("[data-error=venue]")).to_be_visible()
    await clerk.fill("[data-test=activity-venue]", "万和阳光社区文化广场")
    await clerk.fill("[data-test=activity-date]", start.strftime("%Y-%m-%d"))
    await clerk.fill("[data-test=activity-start]", start.strftime("%H:%M"))
    await clerk.fill("[data-test=activity-end]", end.strftime("%H:%M"))
    await clerk.fill("[data-test=activity-capacity]", "30")
    await clerk.click("[data-test=plan]")
    await expect(clerk).to_have_url(re.compile(r"/station/activities/act-"))
    activity_id = clerk.url.rsplit("/", 1)[-1]
    await expect(clerk.locator("[data-test=activity-state]")).to_have_text("筹备中")
    await clerk.click("[data-test=publish]")
    await expect(clerk.locator("[data-test=activity-state]")).to_have_text("报名中")
    code = (await clerk.locator("[data-test=check-in-code]").inner_text()).strip()
    assert re.fullmatch(r"\d{6}", code), code
    await shot(clerk, "station-activity-code-desktop")
    return activity_id, code


async def _resident_signs_up(browser: Browser, stack: Stack, today: str, tomorrow: str) -> str:
    """On a phone: sign up for tomorrow's and give the place back; sign up for today's."""
    resident = await open_page(browser, stack.gateway, phone=True)
    rid = resident_id()
    await sign_in(resident, "resident", station=WANHE, subject=rid)
    await resident.click("nav a[href='/resident/activities']")
    later = resident.locator(f"[data-activity='{tomorrow}']")
    await later.locator("[data-test=sign-up]").click()
    await expect(later.locator("[data-test=mine-signed-up]")).to_be_visible()
    await expect(later.locator("[data-test=places]")).to_contain_text("余 39 / 40")
    await later.locator("[data-test=sign-up-cancel]").click()
    await expect(later.locator("[data-test=places]")).to_contain_text("余 40 / 40")
    card = resident.locator(f"[data-activity='{today}']")
    await card.locator("[data-test=sign-up]").click()
    await expect(card.locator("[data-test=mine-signed-up]")).to_be_visible()
    await expect(resident.locator("[data-test=activity-done]")).to_contain_text(TITLE)
    await expect(card.locator("[data-test=sign-up-cancel]")).to_have_count(0)  # it has begun
    await no_wider_than_the_screen(resident)
    await shot(resident, "resident-activity-signed-up-phone")
    await resident.context.close()
    return rid


async def _walk_in_checks_in(browser: Browser, stack: Stack, today: str, code: str) -> None:
    """A resident who did not sign up types the code shown in the room (a wrong one first)."""
    phone = await open_page(browser, stack.gateway, phone=True)
    await sign_in(phone, "resident", station=WANHE, subject=resident_id())
    await phone.goto("/resident/activities")
    card = phone.locator(f"[data-activity='{today}']")
    await card.locator("[data-test=check-in-open]").click()
    await card.locator("[data-test=check-in-code]").fill("000000" if code != "000000" else "111111")
    await card.locator("[data-test=check-in]").click()
    await expect(card.locator("[data-error=code]")).to_contain_text("签到码不对")
    await shot(phone, "resident-activity-check-in-phone")
    await card.locator("[data-test=check-in-code]").fill(code)
    await card.locator("[data-test=check-in]").click()
    await expect(card.locator("[data-test=mine-checked-in]")).to_be_visible()
    await phone.context.close()


async def _attendee_rates(browser: Browser, stack: Stack, today: str, resident: str) -> None:
    """The resident who came rates the held activity on the phone (stars first, or refused)."""
    phone = await open_page(browser, stack.gateway, phone=True)
    await sign_in(phone, "resident", station=WANHE, subject=resident)
    await phone.goto("/resident/activities")
    card = phone.locator(f"[data-activity='{today}']")
    await expect(card.locator("[data-test=activity-state]")).to_have_text("已办结")
    await card.locator("[data-test=activity-rate]").click()
    await expect(card.locator("[data-error=stars]")).to_be_visible()
    await card.locator("[data-star='4']").click()
    await card.locator("[data-test=activity-comment]").fill("医生很耐心，希望常来")
    await shot(phone, "resident-activity-rate-phone")
    await card.locator("[data-test=activity-rate]").click()
    await expect(card.locator("[data-test=activity-rated]")).to_be_visible()
    await phone.context.close()


async def _volunteer_serves(volunteer: Page, today: str) -> None:
    """Sign up as staff, check in on arrival and out on leaving."""
    await volunteer.click("nav a[href='/volunteer/activities']")
    card = volunteer.locator(f"[data-activity='{today}']")
    for step in ("sign_up", "check_in", "check_out"):
        await card.locator(f"[data-test=staff-{step}]").click()
        await expect(card.locator(f"[data-test=staff-{step}]")).to_have_count(0)
    await expect(card.locator("[data-test=mine-checked-out]")).to_be_visible()
    await no_wider_than_the_screen(volunteer)
    await shot(volunteer, "volunteer-activity-staff-phone")


async def test_an_activity_is_planned_attended_held_and_counted_on_the_screens(
        stack: Stack, district: District, browser: Browser) -> None:
    tomorrow = _tomorrows(district)
    clerk = await open_page(browser, stack.gateway, phone=False)
    await sign_in(clerk, "station_operator", station=WANHE, subject="op-activities")
    today, code = await _clerk_plans_and_publishes(clerk)

    signed = await _resident_signs_up(browser, stack, today, tomorrow)
    await _walk_in_checks_in(browser, stack, today, code)
    party1 = district.people["party1"]
    volunteer = await open_page(browser, stack.gateway, phone=True)
    await sign_in(volunteer, "volunteer", station=WANHE, person=party1)
    await _volunteer_serves(volunteer, today)

    await clerk.reload()
    row = clerk.locator(f"[data-person='{signed}']")
    await row.locator("[data-test=tick]").check()
    await clerk.fill("[data-test=walk-ins]", "5")
    await clerk.click("[data-test=save-attendance]")
    await expect(clerk.locator("[data-test=sheet-done]")).to_contain_text("到场 2 人，现场 5 人")
    await expect(clerk.locator("[data-test=staff]")).to_contain_text("吴志刚")
    await shot(clerk, "station-activity-sheet-desktop")
    await clerk.click("[data-test=hold]")
    await expect(clerk.locator("[data-test=sheet-done]")).to_contain_text("共服务 7 人")
    await expect(clerk.locator("[data-test=activity-state]")).to_have_text("已办结")

    await _attendee_rates(browser, stack, today, signed)

    def entry() -> Any:
        ledger = district.call("volunteers", "GET", f"/api/v1/volunteers/{party1}/hours",
                               headers=ADMIN)
        return next((e for e in ledger["entries"] if e["activity_id"] == today), None)
    assert district.until(entry, "the staff's hours from the held activity")["hours"] > 0
    await volunteer.click("nav a[href='/volunteer/hours']")
    line = volunteer.locator("[data-test=entries] tr", has_text=TITLE)
    await expect(line.locator("[data-test=activity-entry]")).to_be_visible(timeout=LIVE_S)
    await shot(volunteer, "volunteer-hours-activity-phone")

"""Every screen at a phone's width and a desk's: it shows something, and nothing is wider
than the phone. Each is kept as a screenshot (docs/screens with `make screens`)."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, expect

from tests.browser.district import INSTITUTE, WANHE, District, bearer, resident_id, unit
from tests.browser.pages import no_wider_than_the_screen, open_page, shot, sign_in
from tests.e2e.stack import Stack

pytestmark = pytest.mark.integration

SCREENS = {
    "resident": ["/resident/orders", "/resident/surveys", "/resident/activities"],
    "volunteer": ["/volunteer/services", "/volunteer/activities"],
    "station_operator": ["/station", "/station/new", "/station/surveys", "/station/volunteers",
                         "/station/activities", "/station/honours", "/station/organisations"],
    "dispatcher": ["/dispatch"],
    "district_admin": ["/district", "/district/honours", "/district/organisations", "/honours"],
}


def _survey(district: District) -> None:
    """A needs survey at 万和 with a few answers, so its screens have a ranking to show."""
    clerk = bearer("station_operator", "op-screens", WANHE, INSTITUTE)
    made = district.call("requests", "POST", "/api/v1/requests/surveys", headers=clerk, json={
        "unit": unit(WANHE), "title": "2026年万和阳光社区居民需求调查",
        "categories": ["free_clinic", "legal_aid", "cultural_performance", "health_education"]})
    for chosen in (["free_clinic", "legal_aid"], ["free_clinic"], ["cultural_performance"]):
        district.call("requests", "POST", f"/api/v1/requests/surveys/{made['survey_id']}/answers",
                      headers=bearer("resident", resident_id()), json={"chosen": chosen})


@pytest.mark.parametrize("role", list(SCREENS))
async def test_every_screen_fits_a_phone_and_a_desk(stack: Stack, district: District,
                                                    browser: Browser, role: str) -> None:
    if role == "resident":
        _survey(district)
        district.place("home_health_check", "res-screens")
    for phone in (True, False):
        page = await open_page(browser, stack.gateway, phone=phone)
        if role == "dispatcher":
            await sign_in(page, role, institute=INSTITUTE)
        elif role == "district_admin":
            await sign_in(page, role)
        elif role == "volunteer":
            await sign_in(page, role, station=WANHE, person=district.people["doctor"])
        else:
            await sign_in(page, role, station=WANHE, subject="res-screens")
        for path in SCREENS[role]:
            await page.goto(path)
            await expect(page.locator("main h1")).to_be_visible()
            await expect(page.locator("[data-test=notice]")).to_have_count(0)  # no refusal
            if phone:
                await no_wider_than_the_screen(page)
            name = path.strip("/").replace("/", "-")
            await shot(page, f"{name}-{'phone' if phone else 'desktop'}")
        await page.context.close()


async def test_the_station_registry_finds_a_volunteer_by_name(stack: Stack, district: District,
                                                              browser: Browser) -> None:
    page = await open_page(browser, stack.gateway, phone=True)
    await sign_in(page, "station_operator", station=WANHE, subject="op-registry")
    await page.goto("/station/volunteers")
    rows = page.locator("[data-test=volunteers] tbody tr")
    await expect(rows.first).to_be_visible()
    everyone = await rows.count()
    assert everyone >= 2, "the district registers several volunteers at 万和"
    await expect(page.locator("[data-test=volunteer-pages]")).to_contain_text("第 1 / 1 页")
    await page.fill("[data-test=volunteer-search] input", "王建华")
    await page.click("[data-test=volunteer-search] button")
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_have_attribute("data-volunteer", district.people["doctor"])
    await page.context.close()

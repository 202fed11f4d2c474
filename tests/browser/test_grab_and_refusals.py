"""A grab-mode race between two volunteers' phones; a refused role and a bad token, in words."""

from __future__ import annotations

import asyncio
import re

import pytest
from playwright.async_api import Browser, expect

from civiloop_platform.auth.tokens import mint_token
from tests.browser.district import GRAB_CATEGORY, WANHE, District, resident_id
from tests.browser.pages import LIVE_S, open_page, shot, sign_in
from tests.e2e.stack import Stack

pytestmark = pytest.mark.integration


async def test_two_volunteers_race_for_a_grab_order_and_the_loser_is_told_at_once(
        stack: Stack, district: District, browser: Browser) -> None:
    first, second = district.people["party1"], district.people["party2"]
    pages = []
    for volunteer in (first, second):
        page = await open_page(browser, stack.gateway, phone=True)
        await sign_in(page, "volunteer", station=WANHE, person=volunteer)
        pages.append(page)
    order_id = district.place(GRAB_CATEGORY, resident_id())
    offers = [p.locator(f"article[data-order='{order_id}']") for p in pages]
    for offer in offers:  # offered to both at once, as it happens
        await expect(offer).to_have_attribute("data-state", "awaiting", timeout=LIVE_S)
    await expect(offers[0]).to_contain_text("抢单")
    await asyncio.gather(*(o.locator("[data-test=accept]").click() for o in offers))
    for offer in offers:
        await expect(offer).to_have_attribute("data-state", re.compile("accepted|taken"),
                                              timeout=LIVE_S)
    states = [await offer.get_attribute("data-state") for offer in offers]
    assert sorted(map(str, states)) == ["accepted", "taken"]  # one wins; the other is told
    loser = pages[states.index("taken")]
    await expect(loser.locator(f"article[data-order='{order_id}'] [data-test=taken]")).to_be_visible()
    await shot(loser, "volunteer-grab-taken-phone")


async def test_a_role_opening_another_role_s_screen_is_told_so(
        stack: Stack, district: District, browser: Browser) -> None:
    page = await open_page(browser, stack.gateway, phone=True)
    await sign_in(page, "volunteer", station=WANHE, person=district.people["doctor"])
    await page.goto("/station/follow-ups")
    refused = page.locator("[data-test=refused]")
    await expect(refused).to_be_visible()
    await expect(refused).to_contain_text("实践站工作人员")
    await expect(refused).to_contain_text("志愿者")
    await expect(page.locator("[data-test=go-home]")).to_be_visible()
    await shot(page, "refused-phone")


async def test_a_bad_token_on_sign_in_says_why(stack: Stack, district: District,
                                                browser: Browser) -> None:
    page = await open_page(browser, stack.gateway, phone=True)
    forged = mint_token("a-secret-this-district-never-used-1234", subject="x", role="district_admin")
    for token, why in (("not-a-token", "令牌无效"), (forged, "Signature verification failed")):
        await page.fill("[data-test=token]", token)
        await page.click("[data-test=sign-in]")
        error = page.locator("[data-error=token]")
        await expect(error).to_contain_text(why)
    await expect(page).to_have_url(f"{stack.gateway}/sign-in")
    await shot(page, "sign-in-bad-token-phone")

"""The dispatcher's console through the screens: the chosen one's reasons, others' scores, override."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, expect

from tests.browser.district import INSTITUTE, District, resident_id
from tests.browser.pages import LIVE_S, open_page, shot, sign_in
from tests.e2e.stack import Stack

pytestmark = pytest.mark.integration


async def test_a_dispatcher_overrides_an_order_and_sees_why(
        stack: Stack, district: District, browser: Browser) -> None:
    order_id = district.place("legal_aid", resident_id(), {"topic": "family"})
    assert district.offered_to(order_id) == [district.people["lawyer"]]  # 李文静, at 万和

    page = await open_page(browser, stack.gateway, phone=False)
    await sign_in(page, "dispatcher", institute=INSTITUTE)
    row = page.locator(f"tr[data-order='{order_id}']")
    await expect(row).to_be_visible(timeout=LIVE_S)
    await shot(page, "dispatch-queue-desktop")
    await row.click()
    chosen = page.locator("[data-test=chosen]")
    await expect(chosen.locator("[data-test=chosen-name]")).to_have_text("李文静")
    criteria = await chosen.locator("[data-criterion]").evaluate_all(
        "items => items.map((li) => li.dataset.criterion)")
    assert {"skill", "distance", "load"} <= set(criteria)  # the chosen one's own reasons

    # At the institute the other lawyer is a candidate, with a score for every reason.
    await page.select_option("[data-test=candidate-level]", "institute")
    other = page.locator(f"tr[data-candidate='{district.people['lawyer2']}']")
    await expect(other).to_be_visible()
    await expect(other.locator("[data-criterion=distance]")).to_be_visible()
    await other.locator("[data-pick]").check()
    await page.fill("[data-test=override-reason]", "李")  # too short: refused at its field
    await page.click("[data-test=override]")
    await expect(page.locator("[data-error=reason]")).to_be_visible()
    await page.fill("[data-test=override-reason]", "居民点名要钱律师，他处理过这家的事")
    await page.click("[data-test=override]")
    await expect(page.locator("[data-test=dispatch-done]")).to_contain_text("钱国栋")
    await expect(chosen.locator("[data-test=chosen-name]")).to_have_text("钱国栋")
    await expect(chosen.locator("[data-criterion=manual]")).to_contain_text("居民点名要钱律师")
    await shot(page, "dispatch-case-desktop")
    assert district.offered_to(order_id) == [district.people["lawyer2"]]

    await page.click("nav a[href='/dispatch/fairness']")
    await expect(page.locator("[data-test=fairness]")).to_be_visible()
    await shot(page, "dispatch-fairness-desktop")

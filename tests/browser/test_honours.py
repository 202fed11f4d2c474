"""Honours by appraisal and volunteer organisations through the screens, on the real stack.

A station clerk nominates a neighbour; the district approves it into the public notice (公示);
a resident objects on a phone; the district dismisses the objection and, once the notice has
ended, awards the title, which the good-deeds board then shows to anyone. The district
registers an organisation, edits it, adds a volunteer by number (or id), removes him and
dissolves it; the station clerk finds it, dissolved, and registers one at their own station.
"""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from datetime import datetime

import pytest
from playwright.async_api import Browser, Page, expect

from tests.browser.district import ADMIN, WANHE, District, resident_id
from tests.browser.pages import no_wider_than_the_screen, open_page, shot, sign_in
from tests.e2e.stack import Stack

pytestmark = pytest.mark.integration
V = "/api/v1/volunteers"


async def _nominate(clerk: Page, name: str) -> None:
    """The clerk nominates ``name`` as 身边好人 (refused first without a title)."""
    await clerk.goto("/station/honours")
    await clerk.click("[data-test=nominate-open]")
    await clerk.fill("[data-test=nominee-name]", name)
    await clerk.fill("[data-test=nominee-deeds]", "十年如一日照顾社区独居老人，义务为邻里修理家电。")
    await clerk.click("[data-test=nominate]")
    await expect(clerk.locator("[data-error=title]")).to_be_visible()
    await clerk.select_option("[data-test=nominee-title]", "good_person")
    await clerk.click("[data-test=nominate]")
    card = clerk.locator("[data-test=nominations] li", has_text=name)
    await expect(card.locator("[data-test=stage]")).to_have_text("待审核")


async def _object(resident: Page, name: str) -> None:
    """A resident, on a phone, sees the notice and objects to it."""
    await resident.goto("/honours")
    card = resident.locator("[data-test=notices] li", has_text=name)
    await card.locator("[data-test=object-open]").click()
    await card.locator("[data-test=objection-text]").fill("据我所知，修理家电是收费的，请核实。")
    await card.locator("[data-test=object]").click()
    await expect(card.locator("[data-test=objection-sent]")).to_be_visible()
    await expect(card).to_contain_text("异议 1 条")
    await no_wider_than_the_screen(resident)
    await shot(resident, "honours-notice-phone")


async def test_a_nomination_through_review_notice_and_objection_to_the_board(
        stack: Stack, district: District, browser: Browser) -> None:
    name = f"张秀兰{uuid.uuid4().hex[:4]}"
    clerk = await open_page(browser, stack.gateway, phone=False)
    await sign_in(clerk, "station_operator", station=WANHE, subject="op-honours")
    await _nominate(clerk, name)
    resident = await open_page(browser, stack.gateway, phone=True)
    await sign_in(resident, "resident", station=WANHE, subject=resident_id())

    admin = await open_page(browser, stack.gateway, phone=False)
    await sign_in(admin, "district_admin")
    await expect(admin).to_have_url(re.compile(r"/district$"))  # the district's home: the queue
    await admin.locator("[data-test=nominations] a", has_text=name).click()
    await expect(admin).to_have_url(re.compile(r"/district/nominations/"))
    nomination_id = admin.url.rsplit("/", 1)[1]
    await admin.fill("[data-test=review-note]", "事迹属实，同意公示。")
    await admin.click("[data-test=approve]")
    await expect(admin.locator("[data-test=stage]")).to_have_text("公示中")

    await _object(resident, name)
    await admin.reload()
    objection = admin.locator("[data-test=objections] li")
    await objection.locator("[data-test=resolve-note]").fill("经核实为义务维修，异议不成立。")
    await objection.locator("[data-test=dismiss]").click()
    await expect(objection.locator("[data-test=resolution]")).to_contain_text("异议不成立")
    await shot(admin, "district-nomination-desktop")

    found = district.call("volunteers", "GET", f"{V}/honours/nominations/{nomination_id}",
                          headers=ADMIN)
    left = datetime.fromisoformat(found["notice_until"]).timestamp() - time.time()
    await asyncio.sleep(max(0.0, left) + 1)  # the award waits for the notice to end
    await admin.reload()
    await admin.click("[data-test=award]")
    await expect(admin.locator("[data-test=stage]")).to_have_text("已授予")

    anyone = await open_page(browser, stack.gateway, phone=True)  # not signed in
    await anyone.click("[data-test=honours-link]")  # from the sign-in page
    honour = anyone.locator("[data-test=board] li", has_text=name)
    await expect(honour).to_contain_text("身边好人")
    await expect(anyone.locator("[data-test=notices] li", has_text=name)).to_have_count(0)
    await no_wider_than_the_screen(anyone)
    await shot(anyone, "honours-board-phone")
    await clerk.goto("/station/honours")
    card = clerk.locator("[data-test=nominations] li", has_text=name)
    await expect(card.locator("[data-test=stage]")).to_have_text("已授予")
    for page in (clerk, resident, admin, anyone):
        await page.context.close()


async def test_an_organisation_registered_given_a_member_and_dissolved(
        stack: Stack, district: District, browser: Browser) -> None:
    name = f"万和助老志愿者协会{uuid.uuid4().hex[:4]}"
    doctor = district.call("volunteers", "GET", f"{V}/{district.people['doctor']}", headers=ADMIN)
    admin = await open_page(browser, stack.gateway, phone=False)
    await sign_in(admin, "district_admin")
    await admin.goto("/district/organisations")
    await admin.click("[data-test=org-register-open]")
    await admin.fill("[data-test=org-name]", name)
    await admin.click("[data-test=org-register]")  # no unit chosen: refused at its field
    await expect(admin.locator("[data-error=unit]")).to_be_visible()
    await admin.select_option("[data-test=org-unit]", WANHE)
    await admin.check("[data-test=org-specialty-medicine_health]")
    await admin.click("[data-test=org-register]")
    await expect(admin).to_have_url(re.compile(r"/district/organisations/."))
    await expect(admin.locator("main h1")).to_have_text(name)

    await admin.click("[data-test=org-edit]")
    await admin.fill("[data-test=org-number]", "KQ-ZYZ-0099")
    await admin.click("[data-test=org-save]")
    await expect(admin.locator("main .card").first).to_contain_text("KQ-ZYZ-0099")

    await admin.fill("[data-test=member-who]", doctor["volunteer_number"] or doctor["volunteer_id"])
    await admin.click("[data-test=member-add]")
    member = admin.locator("[data-test=members] li", has_text="王建华")
    await expect(member).to_be_visible()
    await expect(admin.locator("[data-test=org-figures]")).to_contain_text("成员 1 人")
    await shot(admin, "district-organisation-desktop")
    await member.locator("[data-test=member-remove]").click()
    await expect(member).to_have_count(0)

    await admin.click("[data-test=org-dissolve-open]")
    await admin.fill("[data-test=org-reason]", "并入区志愿者协会")
    await admin.click("[data-test=org-dissolve]")
    await expect(admin.locator("[data-test=org-state]")).to_have_text("已注销")
    await expect(admin.locator("[data-test=member-add-form]")).to_have_count(0)

    clerk = await open_page(browser, stack.gateway, phone=False)  # the station sees it too
    await sign_in(clerk, "station_operator", station=WANHE, subject="op-orgs")
    await clerk.goto("/station/organisations")
    await clerk.fill("[data-test=org-q]", name[:6])
    await clerk.click("[data-test=org-search] button[type=submit]")
    await expect(clerk.locator("[data-test=organisations] a", has_text=name)).to_contain_text("已注销")
    await clerk.click("[data-test=org-register-open]")  # the clerk registers at their station
    await expect(clerk.locator("[data-test=org-unit]")).to_have_count(0)
    await clerk.fill("[data-test=org-name]", f"{name}站")
    await clerk.click("[data-test=org-register]")
    await expect(clerk).to_have_url(re.compile(r"/station/organisations/."))
    await expect(clerk.locator("main .card").first).to_contain_text("万和阳光社区")
    for page in (admin, clerk):
        await page.context.close()


async def test_the_district_records_an_honour_and_revokes_it(
        stack: Stack, district: District, browser: Browser) -> None:
    name = f"刘桂芳{uuid.uuid4().hex[:4]}"
    admin = await open_page(browser, stack.gateway, phone=False)
    await sign_in(admin, "district_admin")
    await admin.click("nav >> text=荣誉管理")
    await expect(admin).to_have_url(re.compile(r"/district/honours$"))
    await admin.click("[data-test=record-open]")
    await admin.select_option("[data-test=honour-title]", "filial_youth")
    await admin.select_option("[data-test=honour-level]", "national")
    await admin.select_option("[data-test=honour-unit]", WANHE)
    await admin.click("[data-test=record]")  # no holder's name: refused at its field
    await expect(admin.locator("[data-error=holder_name]")).to_be_visible()
    await admin.fill("[data-test=honour-name]", name)
    await admin.fill("[data-test=honour-story]", "照顾瘫痪在床的奶奶八年。")
    await admin.click("[data-test=record]")
    await expect(admin.locator("[data-test=recorded]")).to_be_visible()
    card = admin.locator("[data-test=current] li", has_text=name)
    await expect(card).to_contain_text("全国孝心少年")
    await shot(admin, "district-honours-recorded-desktop")

    anyone = await open_page(browser, stack.gateway, phone=True)
    await anyone.goto("/honours")
    await expect(anyone.locator("[data-test=board] li", has_text=name)).to_be_visible()

    await card.locator("[data-test=revoke-open]").click()
    await card.locator("[data-test=revoke]").click()  # no reason: refused at its field
    await expect(card.locator("[data-error=reason]")).to_be_visible()
    await card.locator("[data-test=revoke-reason]").fill("事迹经核实与实际不符。")
    await card.locator("[data-test=revoke]").click()
    await expect(admin.locator("[data-test=current] li", has_text=name)).to_have_count(0)
    async with anyone.expect_response(re.compile(r"/honours/board$")):
        await anyone.reload()  # the board as it is after the revocation
    await expect(anyone.locator("[data-test=board] li", has_text=name)).to_have_count(0)
    for page in (admin, anyone):
        await page.context.close()

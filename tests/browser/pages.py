"""Opening the web app as a person: a phone or a desk, signed in through the sign-in screen."""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path

from playwright.async_api import Browser, Page, expect

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / ".local" / "test-output" / "browser"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}
DESK = {"viewport": {"width": 1280, "height": 860}}
LIVE_S = 90_000  # ms a live change may take on a loaded machine (it never means slow is fine)


async def open_page(browser: Browser, base: str, *, phone: bool) -> Page:
    """A fresh person (own storage) on the web app's sign-in screen."""
    context = await browser.new_context(base_url=base, locale="zh-CN",
                                        timezone_id="Asia/Shanghai", **(PHONE if phone else DESK))
    context.set_default_timeout(30_000)
    page = await context.new_page()
    await page.goto("/sign-in")
    return page


async def sign_in(page: Page, role: str, *, station: str | None = None,
                  institute: str | None = None, person: str | None = None,
                  subject: str | None = None) -> None:
    """The development sign-in: a role, a station (or institute), a person; lands on their screen."""
    await page.goto("/sign-in")
    await page.select_option("[data-test=dev-role]", role)
    if station:
        await page.select_option("[data-test=dev-station]", station)
    if institute is not None:
        await page.select_option("[data-test=dev-institute]", institute)
    if person:
        await page.select_option("[data-test=dev-person]", person)  # waits for the option
    if subject:
        await page.fill("[data-test=dev-subject]", subject)
    await page.click("[data-test=dev-sign-in]")
    await expect(page).not_to_have_url(re.compile(r"/sign-in"), timeout=30_000)
    await expect(page.locator("[data-test=who]")).to_be_attached()


def _save(picture: bytes, name: str) -> Path:
    """Write a screenshot under .local/test-output/browser (and CIVILOOP_SCREENS, if set)."""
    folders = [OUTPUT] + ([Path(f)] if (f := os.environ.get("CIVILOOP_SCREENS")) else [])
    for folder in folders:  # `make screens` keeps them under docs/screens
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}.png").write_bytes(picture)
    return OUTPUT / f"{name}.png"


async def shot(page: Page, name: str) -> Path:
    """A full-page screenshot of what the person sees now, kept for people to look at."""
    picture = await page.screenshot(full_page=True, animations="disabled")
    return await asyncio.to_thread(_save, picture, name)


async def no_wider_than_the_screen(page: Page) -> None:
    """Nothing on the page is wider than the phone's screen (no sideways scrolling)."""
    overflow = await page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
    assert overflow <= 0, f"the page is {overflow} px wider than the screen"

"""The dashboard in headless Chromium (Debian's), driven by Playwright, against the live service."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright

from tests.services.stats.integration.conftest import StatsService
from tests.services.stats.stream import MAY_31

pytestmark = pytest.mark.integration
CHROMIUM = "/usr/bin/chromium"
# Quiet, offline Chromium: this machine has no network beyond localhost.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
OUTPUT = Path(__file__).resolve().parents[4] / ".local" / "test-output" / "stats"


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    """Debian's Chromium, headless (no browser download: the executable is the system's)."""
    assert shutil.which(CHROMIUM), "install Debian's chromium (apt-get install chromium)"
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        await chromium.close()


async def _tile(page: Page, key: str) -> str:
    return await page.locator(f'.tile[data-key="{key}"] .value').inner_text()


async def _save(page: Page, tmp_path: Path, name: str) -> Path:
    shot = tmp_path / name
    await page.screenshot(path=str(shot), full_page=True)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    shutil.copy(shot, OUTPUT / name)  # kept after the run, for people to look at
    return shot


async def test_the_dashboard_shows_figures_a_chart_and_drills_down_to_a_station(
        stats: StatsService, browser: Browser, tmp_path: Path) -> None:
    d, token = stats.district, stats.admin["Authorization"].removeprefix("Bearer ")
    page = await browser.new_page(viewport={"width": 1280, "height": 900})
    await page.goto(f"{stats.url}/api/v1/stats/dashboard#token={token}&as_of={MAY_31}")
    await page.wait_for_selector("body[data-ready=yes]", timeout=30_000)
    assert await _tile(page, "registered_volunteers") == "5"
    assert await _tile(page, "registration_rate") == "0.3%"
    assert "注册志愿者5人" in await page.locator("#sentence").inner_text()
    placed = await page.evaluate("() => Chart.getChart('trend-chart').data.datasets[0].data")
    assert sum(placed) == 6  # May's six orders, drawn on the trend chart
    await page.locator(f'#units-table tr[data-unit="{d.kunhe}"]').click()
    await page.wait_for_function("t => document.querySelector('#unit-name').textContent === t",
                                 arg="昆河镇实践所", timeout=30_000)
    await page.locator(f'#units-table tr[data-unit="{d.wanhe}"]').click()
    await page.wait_for_function("t => document.querySelector('#unit-name').textContent === t",
                                 arg="万和阳光社区实践站", timeout=30_000)
    await page.wait_for_function(
        "() => document.querySelector('.tile[data-key=registered_volunteers] .value')"
        ".textContent === '3'", timeout=30_000)
    assert "万和阳光社区实践站" in await page.locator("#crumbs").inner_text()
    assert (await _save(page, tmp_path, "dashboard-station.png")).stat().st_size > 10_000
    await page.locator("#lang").click()
    await page.wait_for_function(
        "() => document.querySelector('h1').textContent === 'Civilization Practice Dashboard'")


async def test_the_public_board_fits_a_phone_without_login(
        stats: StatsService, browser: Browser, tmp_path: Path) -> None:
    page = await browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    await page.goto(f"{stats.url}/api/v1/stats/dashboard#as_of={MAY_31}")
    await page.wait_for_selector("body[data-ready=yes]", timeout=30_000)
    assert await _tile(page, "registered_volunteers") == "5"
    assert await page.locator("#board-table tr").count() == 3  # a header and two honours
    assert "李*" not in await page.content()
    overflow = await page.evaluate(
        "() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0  # nothing wider than the phone's screen
    assert (await _save(page, tmp_path, "dashboard-phone.png")).stat().st_size > 10_000

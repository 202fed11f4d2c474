"""Screenshots of the stats dashboard of a running full-scale district, at a desk and a phone.

Run after `make district` against `make run` (``python -m bench.full_scale_screens``; the
gateway's port follows CIVILOOP_GATEWAY_PORT). Saves docs/screens/full-scale-dashboard-*.png
and prints how long the dashboard took to show its figures. Debian's Chromium, headless.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from pathlib import Path

from playwright.async_api import TimeoutError as PlaywrightTimeout
from playwright.async_api import async_playwright

from civiloop_devstack.demo import bearer
from civiloop_devstack.gateway import gateway_port

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SIZES = {"desktop": {"viewport": {"width": 1280, "height": 900}},
         "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True,
                   "has_touch": True, "device_scale_factor": 2}}


async def shoot(base: str, folder: Path, wait_s: float) -> None:
    """One full-page screenshot of the dashboard per size; the seconds each took to be ready."""
    token = bearer("district_admin", "screens-admin")["Authorization"].removeprefix("Bearer ")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for size, options in SIZES.items():
            page = await (await browser.new_context(locale="zh-CN", **options)).new_page()  # type: ignore[arg-type]
            started = time.monotonic()
            await page.goto(f"{base}/api/v1/stats/dashboard#token={token}")
            try:
                await page.wait_for_selector("body[data-ready=yes]", timeout=wait_s * 1000)
                said = f"ready after {time.monotonic() - started:.1f} s"
            except PlaywrightTimeout:  # keep what it shows by then: that is the finding
                said = f"NOT ready after {wait_s:.0f} s"
            path = folder / f"full-scale-dashboard-{size}.png"
            await page.screenshot(path=str(path), full_page=True)
            print(f"{path.relative_to(ROOT)}: {said}")
        await browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default=f"http://127.0.0.1:{gateway_port()}")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screens")
    parser.add_argument("--wait", type=float, default=300.0, help="seconds to wait for figures")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    asyncio.run(shoot(args.base, args.out, args.wait))


if __name__ == "__main__":
    main()

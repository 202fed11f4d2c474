"""One stack for every browser test: the five services and the gateway on the test infra,
a small district made through the APIs, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import json
import shutil
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, async_playwright, expect

from tests.browser.district import GRAB_CATEGORY, NOTICE_S, District
from tests.e2e.stack import Stack, running_stack

ROOT = Path(__file__).resolve().parents[2]
LOGS = ROOT / ".local" / "test-output" / "browser"
CHROMIUM = "/usr/bin/chromium"
# A person waits a few seconds for a screen; on this shared 2-core machine under load a step
# may take longer, so an assertion gives the page 30 s (a live change: LIVE_S) before failing.
expect.set_options(timeout=30_000)
# Quiet, offline Chromium: this machine has no network beyond localhost.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


# Package scope: the stack must be gone before tests/e2e starts its own on the same broker,
# or the two stacks' services (same consumer group names) would share the topics' partitions.
@pytest.fixture(scope="package")
def stack(infra: Any) -> Iterator[Stack]:
    """The services behind the gateway, serving the built web app (web/dist)."""
    assert (ROOT / "web" / "dist" / "index.html").exists(), "build the web app: make web"
    with ExitStack() as stack, pytest.MonkeyPatch.context() as env:
        # One category in grab mode (抢单) for the race; read by dispatch when it starts.
        env.setenv("GRAB_CATEGORIES", json.dumps([GRAB_CATEGORY]))
        # A public notice (公示) of about 90 s, not 7 days: the honours test objects within it
        # and awards once it has ended.
        env.setenv("HONOUR_NOTICE_DAYS", str(NOTICE_S / 86_400))
        running = stack.enter_context(running_stack(infra.kafka_bootstrap, infra.mongo_url,
                                                    LOGS))
        env.undo()  # only these services: later stacks of the session start without it
        yield running


@pytest.fixture(scope="package")
def district(stack: Stack) -> District:
    """The units tree and five volunteers, known to dispatch."""
    return District(stack.urls).build()


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    """Debian's Chromium, headless (no browser download: the executable is the system's)."""
    assert shutil.which(CHROMIUM), "install Debian's chromium (make browser)"
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        await chromium.close()

"""Every service's /docs and /redoc load everything they need from the service itself (no CDN)."""

from __future__ import annotations

import importlib
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

SERVICES = ["requests", "dispatch", "volunteers", "feedback", "stats"]


class _Assets(HTMLParser):
    """Collects the URLs a page loads: scripts, styles, icons, and the OpenAPI document."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for name in ("src", "href", "spec-url"):
            if found.get(name) and not (tag == "a" and name == "href"):
                self.urls.append(str(found[name]))


def referenced_urls(html: str) -> list[str]:
    """The URLs of assets ``html`` loads, plus the OpenAPI URL its script names."""
    parser = _Assets()
    parser.feed(html)
    for marker in ("url: '", 'url: "', "spec-url=\""):
        start = html.find(marker)
        if start >= 0:
            start += len(marker)
            parser.urls.append(html[start:html.index(marker[-1], start)])
    return parser.urls


def fetch_page_and_assets(client: httpx.Client, page: str) -> list[str]:
    """GET ``page`` and every asset it names; the assets' URLs, each answered 200 locally."""
    reply = client.get(page)
    assert reply.status_code == 200, (page, reply.status_code)
    urls = referenced_urls(reply.text)
    assert urls, f"{page} references nothing"
    base = str(reply.url)
    for url in urls:
        absolute = urljoin(base, url)
        assert urlsplit(absolute).netloc == urlsplit(base).netloc, f"{page} loads {url} from afar"
        asset = client.get(absolute)
        assert asset.status_code == 200, (absolute, asset.status_code)
        assert asset.content, absolute
    return urls


def _app(name: str) -> TestClient:
    """The service's app without its runtime started (docs need no Kafka or MongoDB)."""
    settings = importlib.import_module(f"civiloop_{name}.config").Settings(civiloop_env="test")
    app = importlib.import_module(f"civiloop_{name}.bootstrap").build_app(settings)
    return TestClient(app)


@pytest.mark.parametrize("name", SERVICES)
@pytest.mark.parametrize("page", ["docs", "redoc"])
def test_docs_pages_load_every_asset_from_the_service(name: str, page: str) -> None:
    client = _app(name)
    urls = fetch_page_and_assets(client, f"/api/v1/{name}/{page}")
    assert f"/api/v1/{name}/openapi.json" in urls
    assert any(u.endswith(".js") for u in urls)
    assert not any(u.startswith(("http:", "https:", "//")) for u in urls), urls


@pytest.mark.parametrize("name", SERVICES)
def test_the_old_root_docs_urls_lead_to_the_prefixed_ones(name: str) -> None:
    client = _app(name)
    moved = client.get("/docs", follow_redirects=False)
    assert moved.status_code == 307
    assert moved.headers["location"] == f"/api/v1/{name}/docs"
    assert client.get("/openapi.json").json()["info"]["title"] == f"civiloop {name}"


def test_docs_honour_a_root_path_set_by_the_deployment() -> None:
    settings = importlib.import_module("civiloop_stats.config").Settings(civiloop_env="test")
    app = importlib.import_module("civiloop_stats.bootstrap").build_app(settings)
    page = TestClient(app, root_path="/district").get("/api/v1/stats/docs").text
    assert "/district/api/v1/stats/openapi.json" in referenced_urls(page)

"""The gateway (nginx) routes one origin to the services and the web app, and streams SSE.

Real nginx in front of stand-in upstreams (a small HTTP server per service name), so these
run without Kafka or MongoDB; tests/e2e/test_gateway.py runs it in front of the real services.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
import yaml

from civiloop_devstack import gateway, services
from civiloop_devstack.config import repo_root
from civiloop_devstack.procs import free_port

NAMES = services.NAMES
SECOND = {name: threading.Event() for name in NAMES}
"""Per stand-in service: the test's go-ahead for the second event of a live stream."""


class _Upstream(BaseHTTPRequestHandler):
    """Answers any path with who it is and what it was asked; ``/…/live`` streams two events."""

    name = ""

    def do_GET(self) -> None:
        if self.path.split("?")[0].endswith("/live"):
            self._stream()
            return
        body = json.dumps({"service": self.name, "path": self.path,
                           "host": self.headers.get("Host")}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _stream(self) -> None:
        # No X-Accel-Buffering header: the gateway itself must not buffer live routes.
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        self.wfile.write(b"event: first\ndata: 1\n\n")
        self.wfile.flush()
        # The second event is sent only once the test has read the first: were the gateway
        # buffering, the first would never arrive and the test would time out.
        SECOND[self.name].wait(30)
        self.wfile.write(b"event: second\ndata: 2\n\n")
        self.wfile.flush()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def upstreams() -> Iterator[dict[str, int]]:
    servers = []
    for name in NAMES:
        handler = type(f"Upstream_{name}", (_Upstream,), {"name": name})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    yield {name: s.server_address[1] for name, s in zip(NAMES, servers, strict=True)}
    for server in servers:
        server.shutdown()
        server.server_close()


@contextmanager
def _gateway(upstreams: dict[str, int], home: Path, web: Path) -> Iterator[services.Service]:
    front = gateway.start(free_port(), upstreams, home, web_root=web)
    try:
        services.wait_healthy([front], 30)
        yield front
    finally:
        services.stop([front])


@pytest.fixture(scope="module")
def built_app(tmp_path_factory: pytest.TempPathFactory) -> Path:
    web = tmp_path_factory.mktemp("dist")
    (web / "index.html").write_text("<!doctype html><title>civiloop app</title>", "utf-8")
    (web / "assets").mkdir()
    (web / "assets" / "app-1a2b.js").write_text("console.log('app')", "utf-8")
    return web


@pytest.fixture(scope="module")
def front(upstreams: dict[str, int], built_app: Path,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[services.Service]:
    with _gateway(upstreams, tmp_path_factory.mktemp("home"), built_app) as running:
        yield running


@pytest.fixture(scope="module")
def url(front: services.Service) -> str:
    return front.url


@pytest.mark.parametrize("name", NAMES)
def test_api_paths_reach_their_service_unchanged(url: str, name: str) -> None:
    path = f"/api/v1/{name}/things/7?status=open&page=2"
    reply = httpx.get(url + path)
    assert reply.status_code == 200
    assert reply.json()["service"] == name
    assert reply.json()["path"] == path
    assert reply.json()["host"] == url.removeprefix("http://")
    assert "access-control-allow-origin" not in reply.headers


def test_open311_goes_to_requests_and_unknown_apis_get_a_json_404(url: str) -> None:
    assert httpx.get(url + "/open311/v2/services.json").json()["service"] == "requests"
    unknown = httpx.get(url + "/api/v1/nothing/here")
    assert unknown.status_code == 404
    assert "no such service" in unknown.json()["detail"]
    moved = httpx.get(url + "/dashboard")
    assert (moved.status_code, moved.headers["location"].endswith("/api/v1/stats/dashboard")) \
        == (302, True)


def test_the_web_app_is_served_with_its_own_routes_falling_back_to_index(url: str) -> None:
    home = httpx.get(url + "/")
    assert home.status_code == 200
    assert "civiloop app" in home.text
    assert home.headers["cache-control"] == "no-cache"
    deep = httpx.get(url + "/volunteer/offers")  # a route of the app, not a file
    assert deep.status_code == 200
    assert "civiloop app" in deep.text
    asset = httpx.get(url + "/assets/app-1a2b.js")
    assert asset.status_code == 200
    assert asset.headers["content-type"].startswith("application/javascript")


def test_without_a_built_app_a_placeholder_page_says_how_to_build_it(
        upstreams: dict[str, int], tmp_path: Path) -> None:
    empty = tmp_path / "dist"  # not even there, as on a fresh clone
    with _gateway(upstreams, tmp_path / "home", empty) as front:
        page = httpx.get(front.url + "/some/page")
        assert page.status_code == 200
        assert "网页应用尚未构建" in page.text
        assert "make install" in page.text
        assert httpx.get(front.url + "/api/v1/stats/docs").json()["service"] == "stats"


def test_live_routes_stream_each_event_as_it_is_sent(url: str) -> None:
    with httpx.stream("GET", url + "/api/v1/volunteers/offers/mine/live?access_token=secret",
                      timeout=httpx.Timeout(30)) as reply:
        assert reply.status_code == 200
        lines = reply.iter_lines()
        assert next(lines) == "event: first"
        SECOND["volunteers"].set()
        rest = [next(lines) for _ in range(3)]
    assert rest == ["data: 1", "", "event: second"]


def test_the_access_log_never_holds_a_query_string(front: services.Service) -> None:
    httpx.get(front.url + "/api/v1/requests/orders?access_token=very-secret-token")
    log = (front.log.parent / "access.log").read_text()
    assert "/api/v1/requests/orders" in log
    assert "very-secret-token" not in log


def test_the_compose_configuration_is_the_template_rendered_for_compose() -> None:
    committed = (repo_root() / gateway.COMPOSE_CONF).read_text()
    assert committed == gateway.render(gateway.compose_layout()), (
        "deploy/gateway/nginx.compose.conf is stale: regenerate it with "
        "`uv run python -m civiloop_devstack.gateway > deploy/gateway/nginx.compose.conf`")
    compose = yaml.safe_load((repo_root() / "docker-compose.yml").read_text())
    mounts = compose["services"]["gateway"]["volumes"]
    assert f"./{gateway.COMPOSE_CONF}:/etc/nginx/nginx.conf:ro" in mounts


def test_a_relative_state_folder_works_too(upstreams: dict[str, int], tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # nginx would read relative paths from its own prefix
    with _gateway(upstreams, Path("home"), Path("dist")) as front:
        assert httpx.get(front.url + "/healthz").text == "ok\n"

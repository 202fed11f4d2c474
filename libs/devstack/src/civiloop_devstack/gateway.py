"""The gateway: nginx in front of the five services and the web app, one origin for people.

The configuration is rendered from deploy/gateway/nginx.conf.template for the services'
addresses: for local processes here (``make run``, the end-to-end tests) and, committed as
deploy/gateway/nginx.compose.conf, for docker compose. See docs/live.md.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from civiloop_devstack.config import InfraError, repo_root
from civiloop_devstack.procs import port_in_use, require_tool
from civiloop_devstack.services import FIRST_PORT, NAMES, Service, first_port

TEMPLATE = Path("deploy/gateway/nginx.conf.template")
COMPOSE_CONF = Path("deploy/gateway/nginx.compose.conf")
KUBERNETES_CONF = Path("deploy/k8s/base/gateway/nginx.conf")
PLACEHOLDER = Path("deploy/gateway/placeholder")
WEB_DIST = Path("web/dist")
COMPOSE_PORT = 8100
NGINX_HINT = ("install nginx: `make gateway` does it with apt-get as root, or "
              "`sudo apt-get install nginx` (Debian/Ubuntu)")
# Debian installs nginx in /usr/sbin, which a normal user's PATH may lack.
SBIN = "/usr/sbin:/sbin"


def gateway_port() -> int:
    """The gateway's port: CIVILOOP_GATEWAY_PORT, else just below the first service (8100)."""
    return int(os.environ.get("CIVILOOP_GATEWAY_PORT", first_port() - 1))


@dataclass(frozen=True)
class Layout:
    """What one rendering needs: where it listens, the upstream addresses, files and logs."""

    listen: str
    upstreams: dict[str, str]
    web_root: str
    placeholder_root: str
    pid: str
    error_log: str
    access_log: str
    user: str | None = None
    temp_dir: str | None = None
    resolver: str | None = None


def render(layout: Layout, template: str | None = None) -> str:
    """The nginx configuration for ``layout``."""
    text = template if template is not None else (repo_root() / TEMPLATE).read_text()
    resolve = " resolve" if layout.resolver else ""
    upstreams = "".join(
        f"    upstream {name} {{\n"
        + ("        zone upstream_" + name + " 64k;\n" if layout.resolver else "")
        + f"        server {address}{resolve};\n        keepalive 16;\n    }}\n"
        for name, address in layout.upstreams.items())
    # The exact path too (e.g. GET/POST /api/v1/volunteers): nginx would answer it with a
    # 301 to the slashed path, which the service redirects back, a loop.
    locations = "".join(f"        location /api/v1/{name}/ {{\n"
                        f"            proxy_pass http://{name};\n        }}\n"
                        f"        location = /api/v1/{name} {{\n"
                        f"            proxy_pass http://{name};\n        }}\n\n"
                        for name in layout.upstreams)
    temps = "" if layout.temp_dir is None else "".join(
        f"    {kind}_temp_path {layout.temp_dir}/{kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    values = {
        "USER": f"user {layout.user};" if layout.user else "",
        "PID": layout.pid, "ERROR_LOG": layout.error_log, "ACCESS_LOG": layout.access_log,
        "TEMP_PATHS": temps.rstrip("\n"), "UPSTREAMS": upstreams.rstrip("\n"),
        "RESOLVER": f"    resolver {layout.resolver} valid=10s;" if layout.resolver else "",
        "LISTEN": layout.listen, "WEB_ROOT": layout.web_root,
        "PLACEHOLDER_ROOT": layout.placeholder_root, "API_LOCATIONS": locations.rstrip("\n"),
        "SERVICE_ALTERNATIVES": "|".join(layout.upstreams),
        "SERVICE_LIST": ", ".join(layout.upstreams),
    }
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    return text


def compose_layout() -> Layout:
    """docker compose: every interface of the container, replicas found by Docker's DNS."""
    ports = {name: FIRST_PORT + i for i, name in enumerate(NAMES)}
    return Layout(
        listen=str(COMPOSE_PORT), upstreams={n: f"{n}:{p}" for n, p in ports.items()},
        web_root="/usr/share/civiloop/web", placeholder_root="/usr/share/civiloop/placeholder",
        pid="/tmp/nginx.pid", error_log="/dev/stderr", access_log="/dev/stdout",
        user="nginx", resolver="127.0.0.11")


def kubernetes_layout() -> Layout:
    """Kubernetes: each service by its Service name (kube-proxy spreads connections over the
    ready replicas), non-root nginx writing only under /tmp (a read-only root filesystem)."""
    ports = {name: FIRST_PORT + i for i, name in enumerate(NAMES)}
    return Layout(
        listen=str(COMPOSE_PORT), upstreams={n: f"{n}:{p}" for n, p in ports.items()},
        web_root="/usr/share/civiloop/web", placeholder_root="/usr/share/civiloop/placeholder",
        pid="/tmp/nginx.pid", error_log="/dev/stderr", access_log="/dev/stdout",
        temp_dir="/tmp/nginx")


def local_layout(port: int, services: dict[str, int], home: Path,
                 web_root: Path | None = None) -> Layout:
    """Local processes: 127.0.0.1 only, state under ``home``/gateway, the checkout's files."""
    root, state = repo_root(), home / "gateway"
    return Layout(
        listen=f"127.0.0.1:{port}",
        upstreams={name: f"127.0.0.1:{p}" for name, p in services.items()},
        web_root=str(web_root or root / WEB_DIST), placeholder_root=str(root / PLACEHOLDER),
        pid=str(state / "nginx.pid"), error_log=str(state / "error.log"),
        access_log=str(state / "access.log"), temp_dir=str(state / "temp"),
        # As root, workers would otherwise run as nobody and could not use our temp folder.
        user="root" if os.geteuid() == 0 else None)


def start(port: int, services: dict[str, int], home: Path,
          web_root: Path | None = None) -> Service:
    """Start nginx for the services at ``services`` (name → port); stop it like a service."""
    nginx = require_tool("nginx", NGINX_HINT, path=f"{os.environ.get('PATH', '')}:{SBIN}")
    if port_in_use(port):
        raise InfraError(f"port {port} for the gateway is taken by another process: set "
                         "CIVILOOP_GATEWAY_PORT=<free port> or stop it")
    home = home.resolve()  # nginx reads relative paths from its prefix, not from here
    layout = local_layout(port, services, home, web_root)
    state = home / "gateway"
    for folder in ("temp/client_body", "temp/proxy", "temp/fastcgi", "temp/uwsgi",
                   "temp/scgi"):
        (state / folder).mkdir(parents=True, exist_ok=True)
    conf = state / "nginx.conf"
    conf.write_text(render(layout))
    log = state / "gateway.log"
    with log.open("ab") as out:
        # -e: errors before the configuration is read go to our log, not /var/log/nginx.
        command = [nginx, "-p", str(state), "-c", str(conf), "-e", layout.error_log,
                   "-g", "daemon off;"]
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    return Service("gateway", port, proc, Path(layout.error_log), command)


if __name__ == "__main__":  # nginx.compose.conf is this output; with --kubernetes, the k8s one
    import sys
    print(render(kubernetes_layout() if "--kubernetes" in sys.argv[1:] else compose_layout()),
          end="")

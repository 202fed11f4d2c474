"""docker-compose.yml and the service Dockerfiles, checked against the code they deploy.

Pure unit tests: no Docker engine is needed. The one test that asks `docker compose` itself
skips (and says why) where the compose plugin is absent; every other test always runs.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import threading
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

from civiloop_contracts.topics import KEEP_HISTORY, all_topic_names
from civiloop_platform.kafka import admin as kafka_admin

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
SERVICES = sorted(p.name for p in (ROOT / "services").iterdir() if (p / "pyproject.toml").is_file())
INFRA = ("kafka", "mongo")
SECRET = secrets.token_hex(32)
LOCAL_BROKER = dict(
    line.split("=", 1)
    for line in (ROOT / "deploy/kafka/server.properties.template").read_text().splitlines()
    if "=" in line and not line.startswith("#"))


# --- reading the compose file as docker compose would ---------------------------------------

_VAR = re.compile(r"\$(?:(?P<esc>\$)|\{(?P<braced>[^}]*)\}|(?P<named>[A-Za-z_]\w*))")
_BRACED = re.compile(r"(?P<name>[A-Za-z_]\w*)(?:(?P<op>:?[-?])(?P<arg>.*))?", re.S)


class UnsetVariable(Exception):
    """A `${VAR:?message}` whose variable is not set."""


def interpolate(value: Any, env: dict[str, str]) -> Any:
    """Substitute `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR:?error}` and `$$` like compose."""
    if isinstance(value, dict):
        return {k: interpolate(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, env) for v in value]
    if not isinstance(value, str):
        return value

    def sub(m: re.Match[str]) -> str:
        if m["esc"]:
            return "$"
        if m["named"]:
            return env.get(m["named"], "")
        braced = _BRACED.fullmatch(m["braced"])
        assert braced, f"compose cannot read ${{{m['braced']}}}"
        name, op, arg = braced["name"], braced["op"], braced["arg"]
        val = env.get(name)
        missing = (val is None) if op in ("-", "?") else not val
        if op in (":-", "-"):
            return arg if missing else str(val)
        if op in (":?", "?") and missing:
            raise UnsetVariable(f"{name}: {arg}")
        return val or ""

    return _VAR.sub(sub, value)


def load_compose(env: dict[str, str] | None = None) -> dict[str, Any]:
    """The compose file with YAML anchors merged and variables interpolated from ``env``."""
    raw = yaml.safe_load(COMPOSE.read_text())
    loaded: dict[str, Any] = interpolate(raw, {"AUTH_SECRET": SECRET} if env is None else env)
    return loaded


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return load_compose()


def environment(service: dict[str, Any]) -> dict[str, str]:
    """A service's environment as the container sees it (list or mapping form)."""
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    assert not any(isinstance(v, bool) for v in env.values()), "quote booleans in environment"
    return {k: "" if v is None else str(v) for k, v in env.items()}


def depends_on(service: dict[str, Any]) -> dict[str, str]:
    """Each dependency of a service and the condition it waits for."""
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):
        return dict.fromkeys(deps, "service_started")
    return {name: (spec or {}).get("condition", "service_started") for name, spec in deps.items()}


def one_shot_jobs(compose: dict[str, Any]) -> set[str]:
    """Services others wait on to finish (init jobs), as opposed to long-running ones."""
    return {
        name
        for svc in compose["services"].values()
        for name, cond in depends_on(svc).items()
        if cond == "service_completed_successfully"
    }


def settings_class(svc: str) -> Any:
    return importlib.import_module(f"civiloop_{svc}.config").Settings


def settings_env_names(cls: Any) -> dict[str, Any]:
    """The environment variable names pydantic-settings reads for each field of ``cls``."""
    prefix = cls.model_config.get("env_prefix", "")
    names: dict[str, Any] = {}
    for name, field in cls.model_fields.items():
        alias = field.validation_alias or field.alias
        if alias is None:
            candidates = [prefix + name]
        elif isinstance(alias, str):
            candidates = [alias]
        else:  # AliasChoices: every plain-string choice is an accepted variable
            candidates = [c for c in getattr(alias, "choices", []) if isinstance(c, str)]
        for env_name in candidates:
            names[env_name.upper()] = field
    return names


# --- the services: one compose service per services/<svc>, built from its Dockerfile ---------


def test_every_service_directory_is_a_compose_service_built_from_its_dockerfile(
    compose: dict[str, Any],
) -> None:
    assert SERVICES == ["dispatch", "feedback", "requests", "stats", "volunteers"]
    for svc in SERVICES:
        assert svc in compose["services"], f"services/{svc} has no compose service"
        build = compose["services"][svc].get("build")
        assert isinstance(build, dict), f"{svc}: build must name its context and Dockerfile"
        assert (ROOT / build["context"]).resolve() == ROOT, f"{svc}: build from the repo root"
        assert build["dockerfile"] == f"services/{svc}/Dockerfile"
        assert (ROOT / build["dockerfile"]).is_file()


def test_no_container_name_anywhere_and_no_fixed_host_port(compose: dict[str, Any]) -> None:
    def fixed_host_port(spec: Any) -> bool:
        if isinstance(spec, dict):
            return bool(spec.get("published"))
        parts = str(spec).split("/")[0].split(":")  # [ip:][host:]container
        return len(parts) > 1 and parts[-2] != ""

    for name, svc in compose["services"].items():
        assert "container_name" not in svc, f"{name}: container_name breaks --scale"
        fixed = [p for p in svc.get("ports", []) if fixed_host_port(p)]
        if name == "gateway":  # the one address people open, never scaled
            assert fixed == ["127.0.0.1:8100:8100"], "the gateway: loopback port 8100 only"
            continue
        assert not fixed, f"{name}: fixed host ports {fixed} break --scale"


def test_instance_id_is_left_to_each_replica(compose: dict[str, Any]) -> None:
    for svc in SERVICES:
        assert "INSTANCE_ID" not in environment(compose["services"][svc]), (
            f"{svc}: a fixed INSTANCE_ID would be shared by every replica"
        )


@pytest.mark.parametrize("svc", SERVICES)
def test_service_environment_is_made_of_its_settings_fields(
    compose: dict[str, Any], svc: str
) -> None:
    env = environment(compose["services"][svc])
    known = settings_env_names(settings_class(svc))
    unknown = sorted(set(env) - set(known))
    assert not unknown, f"{svc}: {unknown} are not fields of civiloop_{svc}.config.Settings"
    required = sorted(n for n, f in known.items() if f.is_required() and n not in env)
    assert not required, f"{svc}: required settings {required} are not provided"


@pytest.mark.parametrize("svc", SERVICES)
def test_service_environment_gives_valid_production_settings(
    compose: dict[str, Any], svc: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    cls = settings_class(svc)
    for name in settings_env_names(cls):
        monkeypatch.delenv(name, raising=False)
    env = environment(compose["services"][svc])
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    settings = cls()
    assert settings.civiloop_env == "production"
    assert settings.auth_secret.get_secret_value() == SECRET
    assert settings.service_name == svc
    assert settings.http_host == "0.0.0.0"
    assert settings.http_port == cls.model_fields["http_port"].default, "keep the default port"
    assert [str(p) for p in compose["services"][svc]["ports"]] == [str(settings.http_port)]
    assert settings.kafka_bootstrap == "kafka:9092"
    assert settings.mongo_url.get_secret_value().startswith("mongodb://mongo:27017/")


def test_auth_secret_must_come_from_the_environment() -> None:
    raw = yaml.safe_load(COMPOSE.read_text())
    for svc in SERVICES:
        value = raw["services"][svc]["environment"]["AUTH_SECRET"]
        assert re.fullmatch(r"\$\{AUTH_SECRET:\?[^}]+\}", value), f"{svc}: {value!r}"
    with pytest.raises(UnsetVariable, match="AUTH_SECRET"):
        load_compose({})


def test_long_running_services_have_healthchecks_and_restart(compose: dict[str, Any]) -> None:
    jobs = one_shot_jobs(compose)
    assert jobs == {"topics"}
    for name, svc in compose["services"].items():
        if name in jobs:
            assert svc.get("restart", "no") == "no", f"{name}: a one-shot job must not restart"
            continue
        check = svc.get("healthcheck") or {}
        assert check.get("test"), f"{name} has no healthcheck"
        assert not check.get("disable"), f"{name}: healthcheck disabled"
        assert check["test"][0] in ("CMD", "CMD-SHELL"), f"{name}: {check['test']}"
        assert svc.get("restart") == "unless-stopped", f"{name}: restart: unless-stopped"


def test_services_wait_for_healthy_infrastructure_and_the_init_jobs(
    compose: dict[str, Any],
) -> None:
    for svc in SERVICES:
        deps = depends_on(compose["services"][svc])
        assert deps.get("kafka") == "service_healthy", svc
        assert deps.get("mongo") == "service_healthy", svc
        assert deps.get("topics") == "service_completed_successfully", svc
    for name, svc in compose["services"].items():
        for dep, cond in depends_on(svc).items():
            assert dep in compose["services"], f"{name} depends on unknown {dep}"
            if cond == "service_healthy":
                assert compose["services"][dep].get("healthcheck"), f"{dep} is never healthy"


class _Health(BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:
        self.send_response(self.status if self.path == "/healthz" else 404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def health_server() -> Iterator[HTTPServer]:
    server = HTTPServer(("127.0.0.1", 0), _Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("status", [200, 503])
def test_service_healthcheck_probes_healthz_on_http_port(
    compose: dict[str, Any], health_server: HTTPServer, status: int
) -> None:
    """Run the healthcheck command itself against a stand-in /healthz."""
    _Health.status = status
    port = str(health_server.server_address[1])
    for svc in SERVICES:
        test = compose["services"][svc]["healthcheck"]["test"]
        assert test[:3] == ["CMD", "python", "-c"], f"{svc}: no curl in slim images"
        env = {**os.environ, **environment(compose["services"][svc]), "HTTP_PORT": port}
        done = subprocess.run(
            [sys.executable, "-c", test[3]], env=env, capture_output=True, timeout=30, check=False
        )
        assert (done.returncode == 0) == (status == 200), f"{svc}: {done.stderr!r}"


# --- the gateway: one origin for people --------------------------------------------------------


def test_the_gateway_is_nginx_with_the_rendered_configuration_after_healthy_services(
    compose: dict[str, Any],
) -> None:
    gateway = compose["services"]["gateway"]
    assert gateway["image"].startswith("nginx:")
    mounts = dict(v.rsplit(":", 2)[:2][::-1] for v in gateway["volumes"])
    conf = ROOT / mounts["/etc/nginx/nginx.conf"]
    assert conf.is_file(), conf
    assert mounts["/usr/share/civiloop/web"] == "./web/dist"
    assert (ROOT / mounts["/usr/share/civiloop/placeholder"] / "index.html").is_file()
    text = conf.read_text()
    assert "root /usr/share/civiloop/web;" in text
    assert "root /usr/share/civiloop/placeholder;" in text
    deps = depends_on(gateway)
    for svc in SERVICES:
        assert deps.get(svc) == "service_healthy", f"the gateway must wait for {svc}"
        port = environment(compose["services"][svc])["HTTP_PORT"]
        # Replicas of a service are found by Docker's DNS, re-resolved while running.
        assert f"server {svc}:{port} resolve;" in text, f"{svc} upstream is not {svc}:{port}"
        assert f"location /api/v1/{svc}/ {{" in text
    assert "resolver 127.0.0.11" in text
    listen = re.search(r"listen (\d+);", text)
    assert listen is not None
    assert gateway["ports"][0].rsplit(":", 1)[1] == listen[1]
    assert listen[1] in " ".join(gateway["healthcheck"]["test"])


def test_the_gateway_publishes_on_a_chosen_port() -> None:
    gateway = load_compose({"AUTH_SECRET": SECRET, "GATEWAY_PORT": "9100"})["services"]["gateway"]
    assert gateway["ports"] == ["127.0.0.1:9100:8100"]


# --- the infrastructure ------------------------------------------------------------------------


def test_kafka_image_is_the_broker_version_of_the_pom(compose: dict[str, Any]) -> None:
    image = compose["services"]["kafka"]["image"]
    repo, _, tag = image.partition(":")
    assert repo == "apache/kafka"
    assert re.fullmatch(r"3\.9\.\d+", tag), image
    pom = ET.parse(ROOT / "deploy/kafka/pom.xml").getroot()
    ns = {"m": "http://maven.apache.org/POM/4.0.0"}
    assert tag == pom.findtext("m:properties/m:kafka.version", namespaces=ns)


def test_kafka_is_a_single_kraft_node_reachable_at_the_services_bootstrap(
    compose: dict[str, Any],
) -> None:
    kafka = compose["services"]["kafka"]
    env = environment(kafka)
    assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    node = env["KAFKA_NODE_ID"]
    controller = env["KAFKA_CONTROLLER_LISTENER_NAMES"]
    listeners = dict(item.split("://") for item in env["KAFKA_LISTENERS"].split(","))
    controller_port = listeners[controller].rsplit(":", 1)[1]
    assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"] == f"{node}@kafka:{controller_port}"
    bootstrap = environment(compose["services"]["requests"])["KAFKA_BOOTSTRAP"]
    assert f"PLAINTEXT://{bootstrap}" in env["KAFKA_ADVERTISED_LISTENERS"].split(",")
    for key in (
        "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR",
        "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR",
        "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR",
    ):
        assert env[key] == "1", key
    assert env["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
    assert env["KAFKA_OFFSETS_RETENTION_MINUTES"] == LOCAL_BROKER["offsets.retention.minutes"], (
        "a group keeps its offsets as long as the topics keep their events, as locally")
    assert f"{env['KAFKA_LOG_DIRS']}" in [v.split(":", 1)[1] for v in kafka["volumes"]]
    test = kafka["healthcheck"]["test"]
    assert test[1].startswith("/opt/kafka/bin/kafka-")
    assert f"localhost:{listeners['PLAINTEXT'].rsplit(':', 1)[1]}" in test


def test_mongo_is_a_replica_set_initiated_by_its_healthcheck(compose: dict[str, Any]) -> None:
    mongo = compose["services"]["mongo"]
    assert mongo["image"] == "mongo:7"
    command = mongo["command"]
    assert "--bind_ip_all" in command
    rs_name = command[command.index("--replSet") + 1]
    for svc in SERVICES:
        assert environment(compose["services"][svc])["MONGO_URL"] == (
            f"mongodb://mongo:27017/?replicaSet={rs_name}"
        )
    script = mongo["healthcheck"]["test"][-1]
    member = "{_id: 0, host: 'mongo:27017'}"
    assert f"rs.initiate({{_id: '{rs_name}', members: [{member}]}})" in script
    assert "NotYetInitialized" in script, "initiate only a set that is not initiated yet"
    assert "isWritablePrimary" in script, "healthy only once it accepts writes"


def test_infrastructure_keeps_its_data_in_named_volumes(compose: dict[str, Any]) -> None:
    declared = set(compose.get("volumes") or {})
    for name, target in (("kafka", "/var/lib/kafka/data"), ("mongo", "/data/db")):
        mounts = dict(v.rsplit(":", 1)[::-1] for v in compose["services"][name]["volumes"])
        assert mounts.get(target) in declared, f"{name}: {target} is not a named volume"


class _FakeAdmin:
    """Stands in for AIOKafkaAdminClient: records what the topics job would create."""

    created: list[Any]
    bootstrap: str

    def __init__(self, *, bootstrap_servers: str, **_: object) -> None:
        _FakeAdmin.bootstrap = bootstrap_servers
        _FakeAdmin.created = []

    async def start(self) -> None:
        pass

    async def list_topics(self) -> list[str]:
        return []

    async def create_topics(self, topics: list[Any]) -> Any:
        _FakeAdmin.created.extend(topics)
        # The broker answers per topic: (name, error code, message); 0 means created.
        return SimpleNamespace(topic_errors=[(t.name, 0, None) for t in topics])

    async def close(self) -> None:
        pass


@pytest.mark.parametrize("partitions", [None, "7"])
def test_topics_job_creates_the_catalogue(
    partitions: str | None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Run the job's own command with a fake admin client: it must create all_topic_names()."""
    env = {"AUTH_SECRET": SECRET} | ({"KAFKA_PARTITIONS": partitions} if partitions else {})
    job = load_compose(env)["services"]["topics"]
    assert job["build"]["dockerfile"] in {f"services/{s}/Dockerfile" for s in SERVICES}
    command = job["command"]
    assert command[:2] == ["python", "-c"]
    for key, value in environment(job).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(kafka_admin, "AIOKafkaAdminClient", _FakeAdmin)
    exec(compile(command[2], "<topics job>", "exec"), {"__name__": "__topics_job__"})
    assert _FakeAdmin.bootstrap == "kafka:9092"
    assert sorted(t.name for t in _FakeAdmin.created) == sorted(all_topic_names())
    assert {t.num_partitions for t in _FakeAdmin.created} == {int(partitions or 12)}
    assert all(t.topic_configs == dict(KEEP_HISTORY) for t in _FakeAdmin.created), (
        "every topic keeps its history")
    assert "topics created" in capsys.readouterr().out


# --- the Dockerfiles -----------------------------------------------------------------------------


def dockerfile(svc: str) -> list[tuple[str, str]]:
    """The instructions of services/<svc>/Dockerfile as (KEYWORD, arguments)."""
    text = (ROOT / f"services/{svc}/Dockerfile").read_text()
    lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith("#")]
    joined = re.sub(r"\\\n\s*", " ", "\n".join(lines))
    return [
        (ln.split(None, 1)[0].upper(), ln.split(None, 1)[1].strip())
        for ln in joined.splitlines()
        if ln.strip()
    ]


def stages(instructions: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    out: list[list[tuple[str, str]]] = []
    for ins in instructions:
        if ins[0] == "FROM":
            out.append([])
        if out:
            out[-1].append(ins)
    return out


@pytest.mark.parametrize("svc", SERVICES)
def test_dockerfile_builds_a_slim_non_root_image_that_runs_the_service(svc: str) -> None:
    ins = dockerfile(svc)
    args = dict(a.split("=", 1) for k, a in ins if k == "ARG" and "=" in a)
    bases = [
        re.sub(r"\$\{(\w+)\}", lambda m: args[m[1]], a.split()[0])
        for k, a in ins
        if k == "FROM" and not a.startswith("--")
    ]
    assert len(bases) >= 2, "multi-stage"
    assert set(bases) == {"python:3.11-slim"}
    final = stages(ins)[-1]
    users = [a for k, a in final if k == "USER"]
    assert users, "the service must not run as root"
    assert users[-1].split(":")[0] not in ("root", "0"), "the service must not run as root"
    cmd = [a for k, a in final if k == "CMD"]
    assert json.loads(cmd[-1]) == ["python", "-m", f"civiloop_{svc}"]
    port = settings_class(svc).model_fields["http_port"].default
    assert [a for k, a in final if k == "EXPOSE"] == [str(port)]
    assert importlib.util.find_spec(f"civiloop_{svc}.__main__") is not None, (
        f"`python -m civiloop_{svc}` needs civiloop_{svc}/__main__.py"
    )


@pytest.mark.parametrize("svc", SERVICES)
def test_dockerfile_installs_the_locked_service_with_uv_and_caches_dependencies(svc: str) -> None:
    ins = dockerfile(svc)
    builder = next(s for s in stages(ins) if any("uv sync" in a for k, a in s if k == "RUN"))
    runs = [a for k, a in builder if k == "RUN"]
    assert any("pip install" in r and "uv==0.13.8" in r for r in runs)
    env = " ".join(a for k, a in builder if k == "ENV")
    assert "UV_PYTHON_DOWNLOADS=never" in env
    syncs = [i for i, (k, a) in enumerate(builder) if k == "RUN" and "uv sync" in a]
    assert len(syncs) == 2, "dependencies first, then our packages"
    for i in syncs:
        assert f"--frozen --no-dev --package civiloop-{svc}" in builder[i][1]
    assert "--no-install-workspace" in builder[syncs[0]][1]
    sources = [i for i, (k, a) in enumerate(builder) if k == "COPY" and a.split()[0] == "libs"]
    assert sources, "the builder copies libs/"
    assert syncs[0] < sources[0] < syncs[1], "sources are copied after the dependencies"
    # uv needs every workspace member's pyproject.toml: each member root must be copied.
    root = tomllib.loads((ROOT / "pyproject.toml").read_text())
    member_roots = {m.split("/")[0] for m in root["tool"]["uv"]["workspace"]["members"]}
    copied = {a.split()[0] for k, a in ins if k == "COPY" and not a.startswith("--")}
    assert member_roots <= copied
    assert {"pyproject.toml", "uv.lock"} <= set(
        next(a.split()[:-1] for k, a in builder if k == "COPY" and "uv.lock" in a)
    )


def test_the_five_dockerfiles_differ_only_in_service_name_and_port() -> None:
    shapes = {}
    for svc in SERVICES:
        port = str(settings_class(svc).model_fields["http_port"].default)
        text = (ROOT / f"services/{svc}/Dockerfile").read_text()
        shapes[svc] = text.replace(svc, "<svc>").replace(port, "<port>")
    assert len(set(shapes.values())) == 1, "keep the Dockerfiles in step (see docs/deploy.md)"


def test_dockerignore_keeps_environments_data_and_caches_out() -> None:
    patterns = {
        ln.strip()
        for ln in (ROOT / ".dockerignore").read_text().splitlines()
        if ln.strip() and not ln.startswith("#")
    }
    for wanted in (".local", ".venv", "**/node_modules", "**/__pycache__", ".env", ".git"):
        assert wanted in patterns, wanted


# --- docker compose itself, where the plugin exists ---------------------------------------------


def test_docker_compose_accepts_the_file() -> None:
    docker = shutil.which("docker")
    if docker is None:
        pytest.skip("no docker client on this machine: `docker compose config` cannot run")
    probe = subprocess.run(
        [docker, "compose", "version"], capture_output=True, text=True, timeout=60, check=False
    )
    if probe.returncode != 0:
        pytest.skip(
            "the docker compose plugin is absent here "
            f"({(probe.stderr or probe.stdout).strip()}); the file was checked by parsing"
        )
    base = {k: v for k, v in os.environ.items() if k != "AUTH_SECRET"}
    ok = subprocess.run(
        [docker, "compose", "-f", str(COMPOSE), "config", "-q"],
        cwd=ROOT,
        env=base | {"AUTH_SECRET": SECRET},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    if (ROOT / ".env").exists():
        return  # compose reads AUTH_SECRET from .env: the refusal below cannot be shown
    refused = subprocess.run(
        [docker, "compose", "-f", str(COMPOSE), "config", "-q"],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert refused.returncode != 0
    assert "AUTH_SECRET" in refused.stderr

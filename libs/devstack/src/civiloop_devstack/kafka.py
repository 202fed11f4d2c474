"""The real Apache Kafka broker (KRaft, one node): jars from Maven, config, format, start, ready."""

from __future__ import annotations

import asyncio
import base64
import logging
import subprocess
import time
import uuid
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING, Any, TypeVar

from civiloop_devstack.config import KAFKA_JAR, InfraConfig, InfraError
from civiloop_devstack.procs import alive, port_open, require_tool, start_failed

if TYPE_CHECKING:
    from civiloop_platform.kafka.admin import TopicChanges

T = TypeVar("T")
MAIN_CLASS = "kafka.Kafka"
JAVA_HINT = "install Java 17 (e.g. `apt-get install openjdk-17-jre-headless`)"


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` to completion on a fresh loop in a helper thread (safe inside a loop)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def ensure_jars(cfg: InfraConfig) -> bool:
    """Make sure Kafka's jars are in ``cfg.jars_dir``; True when mvn had to fetch them."""
    if (cfg.jars_dir / KAFKA_JAR).is_file():
        return False
    mvn = require_tool("mvn", "install Maven (e.g. `apt-get install maven`) to fetch Kafka's jars")
    pom = cfg.root / "deploy" / "kafka" / "pom.xml"
    done = subprocess.run([mvn, "-q", "-B", "-f", str(pom), "dependency:copy-dependencies"],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0 or not (cfg.jars_dir / KAFKA_JAR).is_file():
        out = "\n".join((done.stdout + done.stderr).splitlines()[-15:])
        raise InfraError(f"mvn could not fetch the Kafka jars (exit {done.returncode}): "
                         f"check network access to Maven Central\n{out}")
    return True


def kafka_dir(cfg: InfraConfig) -> Path:
    """The folder holding the broker's rendered config and its data."""
    return cfg.infra_dir / "kafka"


def write_config(cfg: InfraConfig) -> Path:
    """Render server.properties and copy log4j.properties from deploy/kafka; return the former."""
    folder = kafka_dir(cfg)
    (folder / "data").mkdir(parents=True, exist_ok=True)
    template = Template((cfg.root / "deploy" / "kafka" / "server.properties.template").read_text())
    props = folder / "server.properties"
    props.write_text(template.substitute(
        kafka_port=cfg.kafka_port, controller_port=cfg.controller_port,
        data_dir=folder / "data", partitions=cfg.partitions))
    (folder / "log4j.properties").write_text(
        (cfg.root / "deploy" / "kafka" / "log4j.properties").read_text())
    return props


def _cluster_id() -> str:
    """A cluster id as `StorageTool random-uuid` prints it, without paying a JVM start."""
    while True:
        text = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not text.startswith("-"):  # Kafka avoids ids that look like a command-line flag
            return text


def format_storage(cfg: InfraConfig, java: str, props: Path, log: Path) -> bool:
    """Format the KRaft log dir once; True when it formatted, False when already done."""
    if (kafka_dir(cfg) / "data" / "meta.properties").is_file():
        return False
    with log.open("ab") as out:
        done = subprocess.run(
            [java, "-cp", f"{cfg.jars_dir}/*", "kafka.tools.StorageTool", "format",
             "-t", _cluster_id(), "-c", str(props)],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, check=False)
    if done.returncode != 0:
        raise start_failed("Kafka storage format", log)
    return True


def start(cfg: InfraConfig, log: Path) -> subprocess.Popen[bytes]:
    """Launch the broker detached from our terminal, its output appended to ``log``."""
    java = require_tool("java", JAVA_HINT)
    props = write_config(cfg)
    format_storage(cfg, java, props, log)
    log4j = kafka_dir(cfg) / "log4j.properties"
    with log.open("ab") as out:
        # A new session: Ctrl-C in the launching terminal must not reach the broker.
        return subprocess.Popen(
            [java, "-Xms128m", "-Xmx512m", "-XX:+UseSerialGC",
             f"-Dlog4j.configuration=file:{log4j}", "-cp", f"{cfg.jars_dir}/*",
             MAIN_CLASS, str(props)],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True, cwd=kafka_dir(cfg))


async def metadata_ok(bootstrap: str) -> bool:
    """True when the broker answers a metadata request naming at least one live broker."""
    from aiokafka.admin import AIOKafkaAdminClient

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=5000)
    try:
        await asyncio.wait_for(admin.start(), 10)
        cluster = await asyncio.wait_for(admin.describe_cluster(), 10)
        await asyncio.wait_for(admin.list_topics(), 10)
        return bool(cluster.get("brokers"))
    except Exception:  # not ready yet: any failure means "ask again"
        return False
    finally:
        await asyncio.wait_for(admin.close(), 10)


def wait_ready(cfg: InfraConfig, pid: int, log: Path, timeout_s: float = 180.0) -> float:
    """Block until the broker serves metadata; return the seconds waited or InfraError."""
    started = time.monotonic()
    quiet = logging.getLogger("aiokafka")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # failed probes while it boots are expected, not news
    try:
        while time.monotonic() - started < timeout_s:
            if not alive(pid):
                raise start_failed(f"Kafka (pid {pid})", log)
            if port_open(cfg.kafka_port) and run_sync(metadata_ok(cfg.kafka_bootstrap)):
                return time.monotonic() - started
            time.sleep(0.25)
    finally:
        quiet.setLevel(level)
    raise start_failed(f"Kafka (pid {pid}) did not answer metadata within {timeout_s:.0f}s;", log)


def create_topics(cfg: InfraConfig) -> TopicChanges:
    """Create the catalogue's missing topics on ``cfg``'s broker and set every topic's configs."""
    from civiloop_platform.kafka.admin import ensure_topics

    try:
        return run_sync(ensure_topics(cfg.kafka_bootstrap, cfg.partitions))
    except Exception as exc:  # any client failure: say where we tried, not a traceback
        raise InfraError(f"could not create topics on {cfg.kafka_bootstrap} "
                         f"({type(exc).__name__}: {exc}): is `civiloop-infra up` done?") from exc

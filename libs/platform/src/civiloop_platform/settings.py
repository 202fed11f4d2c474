"""Settings every service reads from its environment, validated once at start-up."""

from __future__ import annotations

import os
import socket
import sys
from typing import Literal, TypeVar

from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# A development-only secret: tokens signed with it are refused in production (see below).
DEV_AUTH_SECRET = "civiloop-development-secret-not-for-production"

S = TypeVar("S", bound="ServiceSettings")


def _default_instance_id() -> str:
    """A name stable across restarts of one replica: its host name (a container's id)."""
    return os.environ.get("HOSTNAME") or socket.gethostname()


class ServiceSettings(BaseSettings):
    """What every civiloop service needs; each service subclasses it to add its own."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", frozen=True)

    service_name: str = Field(min_length=1, pattern=r"^[a-z][a-z0-9-]*$")
    # Production unless told otherwise: a deployment that forgets CIVILOOP_ENV must not
    # silently accept the public development secret.
    civiloop_env: Literal["development", "test", "production"] = "production"
    kafka_bootstrap: str = "127.0.0.1:9092"
    kafka_partitions: int = Field(default=12, ge=1, le=1000)
    kafka_send_timeout_s: float = Field(default=15.0, gt=0)
    kafka_stop_timeout_s: float = Field(default=10.0, gt=0)
    # Secret: a MongoDB URL usually carries credentials; keep it out of reprs and logs.
    mongo_url: SecretStr = SecretStr("mongodb://127.0.0.1:27017/?replicaSet=secantus")
    mongo_db: str = ""
    mongo_timeout_s: float = Field(default=10.0, gt=0)
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8000, ge=1, le=65535)
    auth_secret: SecretStr = SecretStr(DEV_AUTH_SECRET)
    instance_id: str = Field(default_factory=_default_instance_id, min_length=1)
    # Put before every Kafka consumer group's name (not the inbox's keys): a second copy of a
    # service on a shared broker (a replay, a blue/green copy) joins groups of its own, which
    # read their topics from the start; the inbox drops what the first copy applied.
    kafka_group_prefix: str = Field(default="", max_length=100, pattern=r"^[A-Za-z0-9._-]*$")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # Commits wake the relay (in process, or by the outbox's change stream): this is only
    # the safety net's period, and each idle round costs the store a read.
    outbox_poll_s: float = Field(default=30.0, gt=0)
    lease_ttl_s: float = Field(default=15.0, gt=0)
    # Live streams (SSE, docs/live.md): per-replica bounds of the change hub and its streams.
    live_queue: int = Field(default=100, ge=1, le=100_000)
    live_buffer: int = Field(default=1000, ge=0, le=1_000_000)
    live_max_subscribers: int = Field(default=1000, ge=1, le=100_000)
    live_stream_s: float = Field(default=1800.0, gt=0)
    live_ping_s: float = Field(default=15.0, gt=0)
    live_idle_close_s: float = Field(default=60.0, ge=0)

    @model_validator(mode="after")
    def _refuse_insecure_production(self) -> ServiceSettings:
        secret = self.auth_secret.get_secret_value()
        if self.civiloop_env == "production" and (secret == DEV_AUTH_SECRET or len(secret) < 32):
            raise ValueError("AUTH_SECRET must be set to a random value of 32+ characters "
                             "in production (the development default is refused); for local "
                             "work set CIVILOOP_ENV=development")
        return self

    @property
    def database(self) -> str:
        """The MongoDB database this service owns."""
        return self.mongo_db or f"civiloop_{self.service_name.replace('-', '_')}"


def load_settings(cls: type[S], **defaults: object) -> S:
    """Read ``cls`` from the environment, or exit at once with one line per bad variable."""
    try:
        return cls(**defaults)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = [f"  {'.'.join(map(str, e['loc'])).upper() or 'SETTINGS'}: {e['msg']}"
                 for e in exc.errors()]
        sys.stderr.write(f"civiloop: invalid settings for {cls.__name__}:\n"
                         + "\n".join(lines) + "\n")
        raise SystemExit(2) from None

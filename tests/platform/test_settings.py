"""Settings: read from the environment, refuse insecure production, fail fast and clearly."""

from __future__ import annotations

import pytest

from civiloop_platform.settings import DEV_AUTH_SECRET, ServiceSettings, load_settings


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_BOOTSTRAP", "broker-1:9092,broker-2:9092")
    monkeypatch.setenv("MONGO_URL", "mongodb://db:27017/?replicaSet=rs0")
    monkeypatch.setenv("CIVILOOP_ENV", "development")
    settings = ServiceSettings(service_name="dispatch")
    assert settings.kafka_bootstrap == "broker-1:9092,broker-2:9092"
    assert settings.mongo_url.get_secret_value() == "mongodb://db:27017/?replicaSet=rs0"
    assert settings.database == "civiloop_dispatch"


def test_production_refuses_the_development_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CIVILOOP_ENV", "production")
    monkeypatch.setenv("AUTH_SECRET", DEV_AUTH_SECRET)
    with pytest.raises(ValueError, match="AUTH_SECRET"):
        ServiceSettings(service_name="dispatch")


def test_production_accepts_a_long_random_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CIVILOOP_ENV", "production")
    monkeypatch.setenv("AUTH_SECRET", "0123456789abcdef" * 4)
    assert ServiceSettings(service_name="dispatch").civiloop_env == "production"


def test_a_forgotten_environment_counts_as_production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CIVILOOP_ENV", raising=False)
    monkeypatch.delenv("AUTH_SECRET", raising=False)
    with pytest.raises(ValueError, match="AUTH_SECRET"):
        ServiceSettings(service_name="dispatch")


def test_a_bad_variable_exits_with_a_line_naming_it(monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("CIVILOOP_ENV", "development")
    monkeypatch.setenv("HTTP_PORT", "not-a-port")
    with pytest.raises(SystemExit) as exited:
        load_settings(ServiceSettings, service_name="dispatch")
    assert exited.value.code == 2
    assert "HTTP_PORT" in capsys.readouterr().err


def test_the_mongodb_url_with_its_password_stays_out_of_reprs(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CIVILOOP_ENV", "development")
    monkeypatch.setenv("MONGO_URL", "mongodb://civiloop:hunter2@db:27017/?replicaSet=rs0")
    assert "hunter2" not in repr(ServiceSettings(service_name="dispatch"))

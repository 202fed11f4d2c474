"""deploy/k8s, rendered by kustomize for a small and a large district, checked against the
Kubernetes schemas (kubernetes-validate, strict), KEDA's models and the code it deploys.

No cluster is needed: `make kustomize` builds kustomize once; the schemas ship in PyPI's
kubernetes-validate and KEDA's in npm's @kubernetes-models/keda (tools/k8s).
"""

from __future__ import annotations

import importlib
from typing import Any

import kubernetes_validate
import pytest

from civiloop_contracts.topics import all_topic_names
from civiloop_devstack import gateway
from civiloop_platform.kafka import admin as kafka_admin
from civiloop_platform.tracing import TracingSettings
from tests.deploy.k8s import (
    OVERLAYS,
    ROOT,
    Doc,
    containers,
    env_of,
    of_kind,
    render,
    secret_refs,
    validate_keda,
)
from tests.deploy.test_compose import _FakeAdmin, settings_class, settings_env_names

SERVICES = ("requests", "dispatch", "volunteers", "feedback", "stats")
# What the operator puts in the Secret civiloop-secrets (docs/deploy.md, "Kubernetes").
SECRETS = {"AUTH_SECRET": "k8s-test-secret-" + "x" * 32,
           "MONGO_URL": "mongodb://civiloop:pw@mongo-0.mongo-svc:27017/?replicaSet=mongo"}
# The oldest Kubernetes these manifests promise to work on, and the newest with schemas.
KUBERNETES_VERSIONS = ("1.31", "1.37")
CORE_API = ("v1", "apps/v1", "batch/v1", "policy/v1", "autoscaling/v2")


@pytest.fixture(scope="module", params=OVERLAYS)
def overlay(request: pytest.FixtureRequest) -> tuple[Doc, ...]:
    return render(request.param)


def service_env(docs: tuple[Doc, ...], svc: str) -> dict[str, str]:
    return env_of(containers(of_kind(docs, "StatefulSet")[svc])["service"], docs, SECRETS)


# --- schemas ------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_every_object_is_valid_for_kubernetes(overlay: tuple[Doc, ...], version: str) -> None:
    """Strict: an unknown or misplaced field fails, as `kubectl apply --validate=strict` would."""
    core = [d for d in overlay if d["apiVersion"] in CORE_API]
    assert len(core) == len(overlay) - len(of_kind(overlay, "ScaledObject")), (
        "every object is a core kind or a KEDA ScaledObject")
    errors = []
    for doc in core:
        try:
            kubernetes_validate.validate(doc, version, strict=True)
        except kubernetes_validate.ValidationError as exc:
            errors.append(f"{doc['kind']}/{doc['metadata']['name']}: "
                          f"{'.'.join(map(str, exc.path))}: {exc.message}")
    assert not errors, "\n".join(errors)


def test_scaled_objects_are_valid_for_keda(overlay: tuple[Doc, ...]) -> None:
    scaled = list(of_kind(overlay, "ScaledObject").values())
    assert scaled
    result = validate_keda(scaled)
    assert result.returncode == 0, result.stderr


def test_a_broken_object_is_caught() -> None:
    """The validators above can fail: a typo and a wrong type are both refused."""
    statefulset = dict(of_kind(render(OVERLAYS[0]), "StatefulSet")["requests"])
    typo = {**statefulset, "spec": {**statefulset["spec"], "replica": 2}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(typo, KUBERNETES_VERSIONS[0], strict=True)
    scaled = of_kind(render(OVERLAYS[0]), "ScaledObject")["requests"]
    wrong = {**scaled, "spec": {**scaled["spec"], "maxReplicaCount": "twelve"}}
    assert validate_keda([wrong]).returncode == 1


# --- the services ---------------------------------------------------------------------------------


@pytest.mark.parametrize("svc", SERVICES)
def test_each_service_runs_its_image_on_its_port_with_probes(
        overlay: tuple[Doc, ...], svc: str) -> None:
    statefulset = of_kind(overlay, "StatefulSet")[svc]
    container = containers(statefulset)["service"]
    port = settings_class(svc).model_fields["http_port"].default
    assert container["image"].split(":")[0].endswith(f"civiloop/{svc}")
    assert container["ports"] == [{"name": "http", "containerPort": port}]
    assert service_env(overlay, svc)["HTTP_PORT"] == str(port)
    for probe, path in (("startupProbe", "/healthz"), ("livenessProbe", "/healthz"),
                        ("readinessProbe", "/readyz")):
        assert container[probe]["httpGet"] == {"path": path, "port": "http"}, (svc, probe)
    requests = container["resources"]["requests"]
    assert requests["cpu"]
    assert requests["memory"]
    assert container["resources"]["limits"]["memory"]
    service = of_kind(overlay, "Service")[svc]
    assert service["spec"]["selector"].items() <= (
        statefulset["spec"]["template"]["metadata"]["labels"].items())
    assert service["spec"]["ports"][0]["port"] == port
    assert statefulset["spec"]["serviceName"] in of_kind(overlay, "Service")


@pytest.mark.parametrize("svc", SERVICES)
def test_service_environment_gives_valid_production_settings(
        overlay: tuple[Doc, ...], svc: str, monkeypatch: pytest.MonkeyPatch) -> None:
    cls = settings_class(svc)
    known = settings_env_names(cls) | settings_env_names(TracingSettings)
    env = service_env(overlay, svc)
    unknown = sorted(set(env) - set(known))
    assert not unknown, f"{svc}: {unknown} are not settings of civiloop_{svc} or tracing"
    for name in known:
        monkeypatch.delenv(name, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    settings = cls()
    TracingSettings()
    assert (settings.civiloop_env, settings.service_name) == ("production", svc)
    assert settings.http_host == "0.0.0.0"
    # Static membership and leases need one name per replica, stable across restarts.
    assert settings.instance_id == "<metadata.name>"


def test_secrets_come_from_one_secret_that_is_never_committed(overlay: tuple[Doc, ...]) -> None:
    assert not of_kind(overlay, "Secret"), "a Secret in the manifests would be committed"
    assert set(secret_refs(overlay)) == {("civiloop-secrets", key) for key in SECRETS}


# --- autoscaling on lag -----------------------------------------------------------------------


def subscriptions(svc: str, env: dict[str, str]) -> set[tuple[str, str]]:
    """Each (consumer group, topic) the service reads, from its own code."""
    settings = settings_class(svc)(**{k.lower(): v for k, v in env.items()
                                      if k.lower() in settings_class(svc).model_fields})
    spec = importlib.import_module(f"civiloop_{svc}.bootstrap").build_spec(settings)
    return {(sub.group, topic) for sub in spec.subscriptions for topic in sub.topics}


@pytest.mark.parametrize("svc", SERVICES)
def test_replicas_follow_the_lag_of_every_group_and_topic_bounded_by_partitions(
        overlay: tuple[Doc, ...], svc: str) -> None:
    scaled = of_kind(overlay, "ScaledObject")[svc]["spec"]
    env = service_env(overlay, svc)
    assert scaled["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "StatefulSet",
                                        "name": svc, "envSourceContainerName": "service"}
    kafka = [t["metadata"] for t in scaled["triggers"] if t["type"] == "kafka"]
    assert {(t["consumerGroup"], t["topic"]) for t in kafka} == subscriptions(svc, env)
    for trigger in kafka:
        # A group has at most one busy consumer per partition: more replicas would idle.
        assert trigger["allowIdleConsumers"] == "false"
        assert trigger["bootstrapServersFromEnv"] in env
        assert trigger["offsetResetPolicy"] == "earliest", "as our consumers start new groups"
        assert int(trigger["lagThreshold"]) > 0
    assert 2 <= scaled["minReplicaCount"] <= scaled["maxReplicaCount"]
    assert scaled["maxReplicaCount"] <= int(env["KAFKA_PARTITIONS"])
    assert {t["type"] for t in scaled["triggers"]} == {"kafka", "cpu"}


def test_every_workload_has_a_disruption_budget_that_leaves_one_running(
        overlay: tuple[Doc, ...]) -> None:
    budgets = of_kind(overlay, "PodDisruptionBudget")
    minimum = {name: s["spec"]["minReplicaCount"]
               for name, s in of_kind(overlay, "ScaledObject").items()}
    minimum |= {name: h["spec"]["minReplicas"]
                for name, h in of_kind(overlay, "HorizontalPodAutoscaler").items()}
    workloads = of_kind(overlay, "StatefulSet") | of_kind(overlay, "Deployment")
    for name, workload in workloads.items():
        labels = workload["spec"]["template"]["metadata"]["labels"]
        assert budgets[name]["spec"]["selector"]["matchLabels"].items() <= labels.items()
        assert budgets[name]["spec"]["maxUnavailable"] < minimum[name], name


def test_the_large_district_scales_further_than_the_small_one() -> None:
    small, large = (of_kind(render(o), "ScaledObject") for o in OVERLAYS)
    for svc in SERVICES:
        assert large[svc]["spec"]["maxReplicaCount"] > small[svc]["spec"]["maxReplicaCount"]


# --- the topics job and the gateway -------------------------------------------------------------


def test_topics_job_creates_the_catalogue_replicated_three_times(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Run the Job's own command with a fake admin client (as the compose test does)."""
    docs = render(OVERLAYS[0])
    container = containers(of_kind(docs, "Job")["civiloop-topics"])["topics"]
    assert container["image"].split(":")[0].endswith("civiloop/requests")
    assert container["command"][:2] == ["python", "-c"]
    for key, value in env_of(container, docs, SECRETS).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(kafka_admin, "AIOKafkaAdminClient", _FakeAdmin)
    exec(compile(container["command"][2], "<topics job>", "exec"), {"__name__": "__job__"})
    assert sorted(t.name for t in _FakeAdmin.created) == sorted(all_topic_names())
    assert {t.replication_factor for t in _FakeAdmin.created} == {3}
    assert "topics created" in capsys.readouterr().out


def test_gateway_configuration_is_the_rendered_one_and_names_every_service(
        overlay: tuple[Doc, ...]) -> None:
    maps = [m for name, m in of_kind(overlay, "ConfigMap").items()
            if name.startswith("civiloop-gateway")]
    assert len(maps) == 1
    assert maps[0]["data"]["nginx.conf"] == gateway.render(gateway.kubernetes_layout()), (
        "regenerate: uv run python -m civiloop_devstack.gateway --kubernetes "
        "> deploy/k8s/base/gateway/nginx.conf")
    services: dict[str, Any] = of_kind(overlay, "Service")
    for name, address in gateway.kubernetes_layout().upstreams.items():
        host, port = address.split(":")
        assert host == name
        assert services[name]["spec"]["ports"][0]["port"] == int(port)
    volume = of_kind(overlay, "Deployment")["gateway"]["spec"]["template"]["spec"]["volumes"]
    assert {"name": "config", "configMap": {"name": maps[0]["metadata"]["name"]}} in volume


def test_pods_run_as_the_users_their_images_are_built_for(overlay: tuple[Doc, ...]) -> None:
    """A runAsUser the image does not expect would break its files; a port it does not
    listen on would fail every probe."""
    gateway_image = (ROOT / "deploy" / "gateway" / "Dockerfile").read_text()
    pod = of_kind(overlay, "Deployment")["gateway"]["spec"]["template"]["spec"]
    assert f"USER {pod['securityContext']['runAsUser']}" in gateway_image
    assert f"EXPOSE {pod['containers'][0]['ports'][0]['containerPort']}" in gateway_image
    for svc in SERVICES:
        image = (ROOT / "services" / svc / "Dockerfile").read_text()
        uid = of_kind(overlay, "StatefulSet")[svc]["spec"]["template"]["spec"][
            "securityContext"]["runAsUser"]
        assert f"--uid {uid} " in image, svc

"""deploy/k8s as Kubernetes would receive it: each overlay rendered by kustomize, then read."""

from __future__ import annotations

import functools
import json
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
OVERLAYS = ("small-district", "large-district")
KEDA_VALIDATOR = ROOT / "tools" / "k8s" / "validate-keda.mjs"
Doc = dict[str, Any]


def kustomize() -> Path:
    """The kustomize `make kustomize` builds (the version the Makefile pins), or KUSTOMIZE."""
    if os.environ.get("KUSTOMIZE"):
        return Path(os.environ["KUSTOMIZE"])
    version = re.search(r"^KUSTOMIZE_VERSION := (\S+)$", (ROOT / "Makefile").read_text(), re.M)
    assert version, "the Makefile pins KUSTOMIZE_VERSION"
    cache = Path(os.environ.get("CIVILOOP_CACHE") or Path.home() / ".cache" / "civiloop")
    binary = cache / f"kustomize-{version[1]}" / "kustomize"
    assert binary.exists(), f"{binary} is missing: run `make kustomize` (or `make test`)"
    return binary


@functools.cache
def render(overlay: str) -> tuple[Doc, ...]:
    """Every object `kustomize build deploy/k8s/overlays/<overlay>` prints."""
    out = subprocess.run([str(kustomize()), "build", str(K8S / "overlays" / overlay)],
                         capture_output=True, text=True, timeout=120, check=False)
    assert out.returncode == 0, f"kustomize build {overlay} failed:\n{out.stderr}"
    return tuple(doc for doc in yaml.safe_load_all(out.stdout) if doc)


def of_kind(docs: tuple[Doc, ...], kind: str) -> dict[str, Doc]:
    """The objects of ``kind`` by name."""
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def containers(workload: Doc) -> dict[str, Doc]:
    """A workload's containers by name."""
    return {c["name"]: c for c in workload["spec"]["template"]["spec"]["containers"]}


def env_of(container: Doc, docs: tuple[Doc, ...], secrets: dict[str, str]) -> dict[str, str]:
    """The environment a container starts with: its ConfigMaps, then its own variables.

    Secret references are filled from ``secrets`` (what the operator puts in civiloop-secrets).
    """
    maps = of_kind(docs, "ConfigMap")
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        env.update(maps[source["configMapRef"]["name"]]["data"])
    for var in container.get("env", []):
        ref = var.get("valueFrom", {})
        if "value" in var:
            env[var["name"]] = var["value"]
        elif "secretKeyRef" in ref:
            env[var["name"]] = secrets[ref["secretKeyRef"]["key"]]
        elif "fieldRef" in ref:
            env[var["name"]] = f"<{ref['fieldRef']['fieldPath']}>"
    return env


def secret_refs(docs: tuple[Doc, ...]) -> Iterator[tuple[str, str]]:
    """Every (secret name, key) any container reads."""
    for doc in docs:
        spec = doc.get("spec", {}).get("template", {}).get("spec", {})
        for container in spec.get("containers", []):
            for var in container.get("env", []):
                ref = var.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    yield ref["name"], ref["key"]
            for source in container.get("envFrom", []):
                if "secretRef" in source:
                    yield source["secretRef"]["name"], "*"


def validate_keda(docs: list[Doc]) -> subprocess.CompletedProcess[str]:
    """Run KEDA's models (tools/k8s, npm) over ``docs``."""
    return subprocess.run(["node", str(KEDA_VALIDATOR)], input=json.dumps(docs),
                          capture_output=True, text=True, timeout=120, check=False,
                          cwd=KEDA_VALIDATOR.parent)

"""Committed JSON Schemas: current, complete, and compatible within each major version."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from civiloop_contracts import REGISTRY
from civiloop_contracts.compat import breaking_changes
from civiloop_contracts.schemagen import (
    SCHEMA_DIR,
    committed_versions,
    dump_json,
    main,
    planned_files,
)
from civiloop_contracts.schemas import envelope_schema, version_key

REGENERATE = "run `make schemas` and commit the result"


@pytest.mark.parametrize("name", sorted(REGISTRY.published()))
def test_committed_schema_of_current_version_is_up_to_date(name: str) -> None:
    model = REGISTRY.published()[name]
    path = SCHEMA_DIR / name / f"{model.schema_version}.json"
    assert path.exists(), f"no schema for {name} {model.schema_version}: {REGENERATE}"
    planned = planned_files(SCHEMA_DIR.parent)[path]
    assert path.read_text(encoding="utf-8") == planned, f"{path} is stale: {REGENERATE}"


def test_committed_envelope_schema_is_up_to_date() -> None:
    path = SCHEMA_DIR / "envelope" / "1.0.json"
    assert path.read_text(encoding="utf-8") == dump_json(envelope_schema()), REGENERATE


def test_every_schema_directory_belongs_to_a_registered_type() -> None:
    dirs = {p.name for p in SCHEMA_DIR.iterdir() if p.is_dir()} - {"envelope"}
    assert dirs == set(REGISTRY.published()), "a removed event type's schemas stay; re-register it"


@pytest.mark.parametrize("name", sorted(REGISTRY.published()))
def test_versions_within_a_major_are_compatible(name: str) -> None:
    versions = committed_versions(SCHEMA_DIR, name)
    ordered = sorted(versions, key=version_key)
    for i, older in enumerate(ordered):
        for newer in ordered[i + 1:]:
            if version_key(older)[0] == version_key(newer)[0]:
                assert breaking_changes(versions[older], versions[newer]) == [], (older, newer)


def _copy_contracts(tmp_path: Path) -> Path:
    shutil.copytree(SCHEMA_DIR, tmp_path / "schemas")
    shutil.copy(SCHEMA_DIR.parent / "asyncapi.yaml", tmp_path / "asyncapi.yaml")
    return tmp_path


def test_schemagen_check_passes_on_the_committed_tree(tmp_path: Path) -> None:
    assert main(["--check", "--root", str(_copy_contracts(tmp_path))]) == 0


def test_schemagen_writes_a_missing_file_and_keeps_older_versions(tmp_path: Path) -> None:
    root = _copy_contracts(tmp_path)
    (root / "schemas" / "civiloop.OrderClosed" / "1.0.json").unlink()
    assert main(["--check", "--root", str(root)]) == 1
    assert main(["--root", str(root)]) == 0
    assert (root / "schemas" / "civiloop.OrderClosed" / "1.0.json").exists()
    assert (root / "schemas" / "civiloop.ServiceCompleted" / "1.0.json").exists()


def test_schemagen_refuses_an_incompatible_change(tmp_path: Path) -> None:
    root = _copy_contracts(tmp_path)
    path = root / "schemas" / "civiloop.OrderClosed" / "1.0.json"
    released = json.loads(path.read_text(encoding="utf-8"))
    released["properties"]["closed_by"] = {"type": "string"}  # the model "removed" it
    path.write_text(json.dumps(released), encoding="utf-8")
    assert main(["--root", str(root)]) == 1
    assert json.loads(path.read_text(encoding="utf-8")) == released

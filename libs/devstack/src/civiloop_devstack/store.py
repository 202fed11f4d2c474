"""Which MongoDB-compatible server runs locally: SecantusDB's Rust build, or its Python one.

The Rust build (crates.io ``secantus-mdb``, binary ``secantusd-rs``) takes the same flags
and presents the same ``secantus`` replica set as ``secantusd-py`` from PyPI, and is about
three times faster on writes. It is compiled once with cargo into a cache outside the
checkout (like Maven's), so later runs, other checkouts and CI reuse it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from civiloop_devstack.config import InfraError

RS_CRATE = "secantus-mdb"
RS_VERSION = "0.5.3-beta.196"
"""Pinned: every published version declares rust-version 1.98 but builds with cargo 1.95."""
KINDS = ("rs", "py")
BUILD_HINT = ("build it once with `make store` (cargo, 7–13 min on 2 cores), or set "
              "CIVILOOP_STORE=py to run the Python server")


def kind(env: Mapping[str, str] | None = None) -> str:
    """The server chosen by CIVILOOP_STORE: ``rs`` (the default) or ``py``."""
    env = os.environ if env is None else env
    chosen = env.get("CIVILOOP_STORE", "").strip().lower() or "rs"
    if chosen not in KINDS:
        raise InfraError(f"CIVILOOP_STORE={chosen!r} is not a store: set it to rs or py")
    return chosen


def cache_root(env: Mapping[str, str] | None = None) -> Path:
    """Where built tools are kept across checkouts: CIVILOOP_CACHE, else ~/.cache/civiloop."""
    env = os.environ if env is None else env
    if env.get("CIVILOOP_CACHE"):
        return Path(env["CIVILOOP_CACHE"]).expanduser()
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "civiloop"


def rs_binary(env: Mapping[str, str] | None = None) -> Path:
    """The pinned ``secantusd-rs``: SECANTUS_RS_BIN, else in the cache under its version."""
    env = os.environ if env is None else env
    if env.get("SECANTUS_RS_BIN"):
        return Path(env["SECANTUS_RS_BIN"]).expanduser()
    return cache_root(env) / f"secantus-rs-{RS_VERSION}" / "bin" / "secantusd-rs"


def py_binary() -> Path:
    """``secantusd-py``, next to our interpreter in the locked environment."""
    return Path(sys.executable).parent / "secantusd-py"


def server_binary(env: Mapping[str, str] | None = None) -> Path:
    """The executable of the chosen server, or InfraError saying how to get it."""
    if kind(env) == "py":
        exe = py_binary()
        if not exe.is_file():
            raise InfraError(f"{exe} is missing: run `make install` to install SecantusDB")
        return exe
    exe = rs_binary(env)
    if not exe.is_file():
        raise InfraError(f"{exe} is missing: {BUILD_HINT}")
    return exe


def build_rs(env: Mapping[str, str] | None = None) -> Path | None:
    """Compile the pinned ``secantusd-rs`` into the cache unless it is there; None if it was."""
    exe = rs_binary(env)
    if exe.is_file():
        return None
    # rustup puts cargo in ~/.cargo/bin, which a non-login shell (CI) may not have on PATH.
    cargo = shutil.which("cargo") or shutil.which("cargo", path=str(Path.home() / ".cargo/bin"))
    if cargo is None:
        raise InfraError("`cargo` is not on PATH: install Rust (rustup) to build secantusd-rs, "
                         "or set CIVILOOP_STORE=py to run the Python server")
    root = exe.parent.parent
    root.mkdir(parents=True, exist_ok=True)
    # --locked: the crate's own lockfile; --ignore-rust-version: it declares 1.98 needlessly.
    command = [cargo, "install", RS_CRATE, "--version", RS_VERSION, "--locked",
               "--ignore-rust-version", "--root", str(root)]
    if subprocess.run(command, check=False).returncode != 0 or not exe.is_file():
        raise InfraError(f"building {RS_CRATE} {RS_VERSION} failed (see cargo's output above); "
                         "CIVILOOP_STORE=py runs the Python server meanwhile")
    return exe

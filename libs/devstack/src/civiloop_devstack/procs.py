"""Process and port helpers: PID files, liveness by command line, bounded stops, log tails."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import time
from pathlib import Path

from civiloop_devstack.config import InfraError


def require_tool(name: str, hint: str, path: str | None = None) -> str:
    """The full path of executable ``name`` on PATH, or InfraError saying how to get it."""
    found = shutil.which(name, path=path)
    if found is None:
        raise InfraError(f"`{name}` is not on PATH: {hint}")
    return found


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    """True when something listens on ``host:port`` (so a new server could not bind it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # SO_REUSEADDR like the servers themselves, so a port in TIME_WAIT counts as free.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


def port_open(port: int, host: str = "127.0.0.1", timeout: float = 0.5) -> bool:
    """True when a TCP connection to ``host:port`` is accepted."""
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=timeout):
        return True
    return False


def free_port() -> int:
    """A port the kernel says is free now (the caller should use it soon)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cmdline(pid: int) -> str:
    """The command line of ``pid`` joined by spaces, or "" when it is gone."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    return raw.replace(b"\0", b" ").decode(errors="replace").strip()


def alive(pid: int) -> bool:
    """True when ``pid`` runs (a zombie child of ours is reaped and counts as gone)."""
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)  # reap it if it is our exited child
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def read_pid(pid_file: Path, marker: str) -> int | None:
    """The PID in ``pid_file`` if that process runs and its command line contains ``marker``."""
    try:
        pid = int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    # A stale file may name a PID the kernel has since reused for something else.
    if alive(pid) and marker in cmdline(pid):
        return pid
    return None


def stop_pid(pid: int, timeout_s: float = 30.0) -> None:
    """Stop ``pid``: SIGTERM, wait up to ``timeout_s``, then SIGKILL and wait briefly."""
    for sig, wait_s in ((signal.SIGTERM, timeout_s), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            if not alive(pid):
                return
            time.sleep(0.1)
    raise InfraError(f"process {pid} did not stop after SIGKILL: check `ps -p {pid}`")


def wait_port_closed(port: int, timeout_s: float = 15.0) -> None:
    """Return once nothing listens on ``port``; InfraError after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while port_open(port):
        if time.monotonic() > deadline:
            raise InfraError(f"port {port} is still open {timeout_s:.0f}s after the stop")
        time.sleep(0.1)


def tail(path: Path, lines: int = 20) -> str:
    """The last ``lines`` lines of ``path`` ("" when it does not exist)."""
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def start_failed(what: str, log: Path) -> InfraError:
    """An InfraError naming ``log`` and carrying its last lines."""
    return InfraError(f"{what} failed to start: see {log}\n--- last lines of {log} ---\n"
                      f"{tail(log)}")

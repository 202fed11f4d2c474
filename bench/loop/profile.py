"""Sampling profiles of the services under load with py-spy (when it is on PATH).

``py-spy record --format raw`` writes collapsed stacks; ``top_frames`` turns them into the
functions that were on the stack most often, which is what docs/performance.md quotes.
"""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from pathlib import Path

RATE_HZ = 50
PY_SPY = "py-spy@0.4.3"  # from PyPI through uvx when py-spy is not on PATH


def command() -> list[str] | None:
    """How to run py-spy here, or None."""
    if exe := shutil.which("py-spy"):
        return [exe]
    if uvx := shutil.which("uvx"):
        return [uvx, PY_SPY]
    return None


def start(pids: dict[str, int], out: Path, seconds: int) -> list[subprocess.Popen[bytes]]:
    """One py-spy per service for ``seconds``; none when py-spy cannot be run."""
    exe = command()
    if exe is None:
        return []
    out.mkdir(parents=True, exist_ok=True)
    return [subprocess.Popen([*exe, "record", "--pid", str(pid), "--duration", str(seconds),
                              "--rate", str(RATE_HZ), "--format", "raw", "--nonblocking",
                              "--output", str(out / f"{name}.txt")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for name, pid in pids.items()]


def wait(procs: list[subprocess.Popen[bytes]], timeout_s: float) -> None:
    """Wait for the profilers to write their files (killing any that hangs)."""
    for proc in procs:
        try:
            proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def _name(frame: str) -> str:
    """``function (package/module.py:line)`` → ``package/module:function``."""
    function, _, where = frame.partition(" (")
    module = where.split(":", 1)[0].removesuffix(".py")
    return f"{module}:{function}" if module else function


def top_frames(collapsed: str, limit: int = 15, *, busiest: float = 0.8
               ) -> list[tuple[str, float]]:
    """Functions by the share of samples whose stack holds them, largest first, leaving out
    those on more than ``busiest`` of all stacks (the event loop and the server's plumbing)."""
    inclusive: Counter[str] = Counter()
    total = 0
    for line in collapsed.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        for frame in {_name(f) for f in stack.split(";")}:
            inclusive[frame] += n
    if total == 0:
        return []
    shares = [(frame, round(n / total, 3)) for frame, n in inclusive.most_common()]
    return [(f, s) for f, s in shares if s <= busiest][:limit]


def summarise(out: Path, limit: int = 15) -> dict[str, list[tuple[str, float]]]:
    """The top frames of every profile written in ``out``."""
    return {path.stem: top_frames(path.read_text(), limit)
            for path in sorted(out.glob("*.txt"))}

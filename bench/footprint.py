"""Measure what each running service of this checkout costs: resident memory and CPU.

Run beside ``make run`` (and a ``make load`` in a third terminal); it finds this checkout's
five services, Kafka and SecantusDB by their command lines, samples ``/proc`` every
``--every`` seconds for ``--seconds`` and prints, per process, RSS (mean, max) and CPU in
cores (mean over the window, and the busiest ``--peak-window`` seconds). Linux only; it
measures, it never asserts. The Kubernetes requests in deploy/k8s come from its output.

    uv run --frozen python -m bench.footprint --seconds 300 --label load
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SERVICES = ("requests", "dispatch", "volunteers", "feedback", "stats")
TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Series:
    """Samples of one process: (time, cpu seconds so far, rss bytes)."""

    pid: int
    samples: list[tuple[float, float, int]] = field(default_factory=list)

    def cores(self) -> float:
        """Mean CPU in cores over the whole window."""
        (t0, c0, _), (t1, c1, _) = self.samples[0], self.samples[-1]
        return (c1 - c0) / (t1 - t0) if t1 > t0 else 0.0

    def peak_cores(self, window_s: float) -> float:
        """CPU in cores over the busiest stretch of ``window_s`` seconds."""
        best, start = 0.0, 0
        for end in range(1, len(self.samples)):
            while self.samples[end][0] - self.samples[start][0] > window_s:
                start += 1
            (t0, c0, _), (t1, c1, _) = self.samples[start], self.samples[end]
            if t1 - t0 >= window_s / 2:
                best = max(best, (c1 - c0) / (t1 - t0))
        return best

    def rss_mib(self) -> tuple[float, float]:
        """Mean and maximum resident memory in MiB."""
        rss = [s[2] / 2**20 for s in self.samples]
        return sum(rss) / len(rss), max(rss)


def find(repo: Path) -> dict[str, int]:
    """This checkout's services, Kafka and SecantusDB, by name → PID."""
    found: dict[str, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        line = " ".join(a.decode(errors="replace") for a in argv)
        if str(repo) not in line and "secantusd" not in line:
            continue
        for name in SERVICES:
            if f"-m civiloop_{name}" in line and str(repo) in line:
                found[name] = int(entry.name)
        if "kafka.Kafka" in line and str(repo) in line:
            found["kafka"] = int(entry.name)
        if "secantusd" in line and str(repo) in line:
            found["secantusdb"] = int(entry.name)
    return found


def sample(pid: int) -> tuple[float, int]:
    """CPU seconds used so far (user + system) and resident bytes of ``pid``."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime (fields 14, 15)
    rss = int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    return cpu, rss


def measure(pids: dict[str, int], seconds: float, every: float) -> dict[str, Series]:
    """Sample every process until ``seconds`` pass (a process that exits keeps its samples)."""
    series = {name: Series(pid) for name, pid in pids.items()}
    end = time.monotonic() + seconds
    while True:
        now = time.monotonic()
        for s in series.values():
            try:
                cpu, rss = sample(s.pid)
            except OSError:
                continue
            s.samples.append((now, cpu, rss))
        if now >= end:
            return series
        time.sleep(every)


def main() -> None:
    """Find, sample, print one line per process."""
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--seconds", type=float, default=120.0)
    args.add_argument("--every", type=float, default=2.0)
    args.add_argument("--peak-window", type=float, default=30.0)
    args.add_argument("--label", default="")
    args.add_argument("--repo", type=Path, default=REPO)
    opts = args.parse_args()
    pids = find(opts.repo.resolve())
    if not pids:
        raise SystemExit(f"no service of {opts.repo} is running: start `make run` first")
    load = os.getloadavg()
    series = measure(pids, opts.seconds, opts.every)
    print(f"# {opts.label} {time.strftime('%Y-%m-%d %H:%M:%S')} window {opts.seconds:.0f} s, "
          f"load average at start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, "
          f"at end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'process':<11} {'rss mean MiB':>12} {'rss max MiB':>11} {'cpu mean':>9} "
          f"{'cpu peak':>9}")
    for name, s in series.items():
        if len(s.samples) < 2:
            continue
        mean, peak = s.rss_mib()
        print(f"{name:<11} {mean:>12.0f} {peak:>11.0f} {s.cores():>9.3f} "
              f"{s.peak_cores(opts.peak_window):>9.3f}")


if __name__ == "__main__":
    main()

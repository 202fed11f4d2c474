"""``python -m civiloop_stats``: run the stats service; ``... rebuild`` rebuilds its read models."""

from civiloop_stats.entrypoints.cli import cli

if __name__ == "__main__":
    cli(prog_name="python -m civiloop_stats")

"""``python -m civiloop_requests``: run the requests service; ``... announce-timelines``
announces every stored timeline line again."""

from civiloop_requests.entrypoints.cli import cli

if __name__ == "__main__":
    cli(prog_name="python -m civiloop_requests")

"""``python -m civiloop_stats``: run the stats service until SIGINT/SIGTERM."""

from civiloop_platform.web import run_service
from civiloop_stats.bootstrap import build_app
from civiloop_stats.config import Settings

if __name__ == "__main__":
    run_service(Settings, build_app)

"""``python -m civiloop_dispatch``: run the dispatch service until SIGINT/SIGTERM."""

from civiloop_dispatch.bootstrap import build_app
from civiloop_dispatch.config import Settings
from civiloop_platform.web import run_service

if __name__ == "__main__":
    run_service(Settings, build_app)

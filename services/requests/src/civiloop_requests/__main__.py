"""``python -m civiloop_requests``: run the requests service until SIGINT/SIGTERM."""

from civiloop_platform.web import run_service
from civiloop_requests.bootstrap import build_app
from civiloop_requests.config import Settings

if __name__ == "__main__":
    run_service(Settings, build_app)

"""``python -m civiloop_volunteers``: run the volunteers service until SIGINT/SIGTERM."""

from civiloop_platform.web import run_service
from civiloop_volunteers.bootstrap import build_app
from civiloop_volunteers.config import Settings

if __name__ == "__main__":
    run_service(Settings, build_app)

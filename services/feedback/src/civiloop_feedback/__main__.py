"""``python -m civiloop_feedback``: run the feedback service until SIGINT/SIGTERM."""

from civiloop_feedback.bootstrap import build_app
from civiloop_feedback.config import Settings
from civiloop_platform.web import run_service

if __name__ == "__main__":
    run_service(Settings, build_app)

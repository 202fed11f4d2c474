"""Live updates (SSE) fed by the service's own committed changes; see docs/live.md."""

from civiloop_platform.live.auth import LIVE_RESPONSES, AccessToken
from civiloop_platform.live.hub import Change, ChangeHub, HubFull, Subscription
from civiloop_platform.live.stream import Render, Rendered, live_stream

__all__ = ["LIVE_RESPONSES", "AccessToken", "Change", "ChangeHub", "HubFull", "Render",
           "Rendered", "Subscription", "live_stream"]

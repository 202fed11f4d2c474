"""The MongoDB client a service uses, with timeouts on everything and majority writes."""

from __future__ import annotations

import asyncio
from typing import Any

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

Document = dict[str, Any]
# The driver's server monitoring (two `hello`s per period) was most of an idle service's
# work on the store at the default 10 s. A failed operation re-checks the server at once,
# and a replica set's streaming monitor reports an election as it happens, so a longer
# period costs no failover time there.
HEARTBEAT_MS = 30_000


def make_client(url: str, *, timeout_s: float = 10.0,
                app_name: str = "civiloop") -> AsyncMongoClient[Document]:
    """A client that gives up instead of hanging (selection and connect after ``timeout_s``,
    any operation after 3 × ``timeout_s``), writing with w=majority."""
    ms = int(timeout_s * 1000)
    return AsyncMongoClient(
        url, appname=app_name, tz_aware=True, w="majority", retryWrites=True,
        serverSelectionTimeoutMS=ms, connectTimeoutMS=ms, timeoutMS=ms * 3,
        heartbeatFrequencyMS=HEARTBEAT_MS,
    )


async def ping(db: AsyncDatabase[Document], timeout_s: float = 2.0) -> bool:
    """True when the server answers a ping within ``timeout_s``."""
    try:
        await asyncio.wait_for(db.command("ping"), timeout_s)
    except Exception:  # any failure means "not ready"; the reason is logged by the caller
        return False
    return True

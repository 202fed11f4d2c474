"""The dispatch domain's refusals; the HTTP edge answers them 404 / 409, handlers log them."""

from __future__ import annotations


class DispatchError(ValueError):
    """A rule of dispatch refused an operation; the message says which and why."""


class NotDispatchable(DispatchError):
    """The order is in no state to be dispatched or taken back (accepted, cancelled, closed)."""

    def __init__(self, order_id: str, status: str, what: str) -> None:
        super().__init__(f"order {order_id} is {status}: cannot {what}")
        self.order_id, self.status = order_id, status


class NotFound(DispatchError):
    """No case or candidate with this id; the message names it."""

"""The feedback domain's refusals; HTTP turns them into 4xx, the intake into dead letters."""

from __future__ import annotations


class Refused(ValueError):
    """A rule of the feedback domain refused a command; the message says which and why."""


class UnknownOrder(Refused):
    """No order with this id is known here (never placed, or its events have not arrived)."""


class NotCompleted(Refused):
    """The order is not served (yet), or was cancelled: there is nothing to rate."""


class NotYours(Refused):
    """The caller is not the resident who ordered, nor staff of the order's station."""


class AlreadyRated(Refused):
    """The order already has its rating for this service round."""


class RatingWindowClosed(Refused):
    """The order lapsed unrated, or the change window of its rating has passed."""


class NoRating(Refused):
    """The order has no rating to change or show."""


class UnknownFollowUp(Refused):
    """No follow-up with this id."""


class FollowUpClosed(Refused):
    """The follow-up was resolved already."""


class InvalidInput(Refused):
    """A value the rules refuse (an unknown tag, a reopen without a reason)."""


class UnknownActivity(Refused):
    """No held activity of that id is known here (not held, or its news is on its way)."""

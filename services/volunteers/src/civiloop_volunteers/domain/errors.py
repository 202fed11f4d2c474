"""What the volunteers domain refuses, by kind; entrypoints/refusals.py names each kind's status."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the volunteers domain said no; the message names the thing and why."""


class Invalid(DomainError):
    """The request breaks a rule of its own (hours over the activity's length...)."""


class NotFound(DomainError):
    """The volunteer, team, assignment or entry named does not exist here."""


class Forbidden(DomainError):
    """The caller may not act on this thing (someone else's order, another station...)."""


class Conflict(DomainError):
    """The thing's state forbids it now (already registered, withdrawn, already taken...)."""

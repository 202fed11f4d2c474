"""What the volunteers domain refuses, by kind; the HTTP edge maps each kind to a status."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the volunteers domain said no; the message names the thing and why."""

    status = 422


class Invalid(DomainError):
    """The request breaks a rule of its own (hours over the activity's length...)."""

    status = 422


class NotFound(DomainError):
    """The volunteer, team, assignment or entry named does not exist here."""

    status = 404


class Forbidden(DomainError):
    """The caller may not act on this thing (someone else's order, another station...)."""

    status = 403


class Conflict(DomainError):
    """The thing's state forbids it now (already registered, withdrawn, already taken...)."""

    status = 409

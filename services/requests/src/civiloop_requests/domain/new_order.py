"""What a frontend asks for, validated at the edge: the requester and the order's inputs."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from civiloop_contracts.events.intake import Channel
from civiloop_contracts.masking import FreeText, MaskedContact, mask_name, mask_phone
from civiloop_contracts.values import Audience, Id, Role, ShortText, TimeWindow, UnitRef
from civiloop_contracts.values import Category as CategoryCode
from civiloop_requests.domain.catalogue import AnswerValue

Need = Annotated[FreeText, Field(min_length=1, max_length=1000)]
"""A need description: Chinese text, bounded, and never holding a phone number (events carry it)."""

PLACERS = frozenset({Role.RESIDENT, Role.STATION_OPERATOR})
"""Who may place (and cancel) an order: a resident, or a station on residents' behalf."""


class Requester(BaseModel):
    """Who asked and how to reach them; the real name and phone never leave this service."""

    model_config = ConfigDict(frozen=True)

    role: Role = Role.RESIDENT
    resident_id: Id | None = Field(default=None, description="Pseudonymous resident id.")
    name: Annotated[str, Field(min_length=1, max_length=32)] | None = None
    phone: str | None = None
    # Station frontends send only masked values; the real ones stay at the frontend.
    masked_contact: MaskedContact | None = None

    @field_validator("phone")
    @classmethod
    def _phone_is_mobile(cls, value: str | None) -> str | None:
        if value is not None:
            mask_phone(value)  # refuses anything that is not a mainland mobile number
        return value

    @model_validator(mode="after")
    def _placer(self) -> Requester:
        if self.role not in PLACERS:
            raise ValueError("orders are placed by a resident or a station operator")
        if self.role is Role.RESIDENT and self.resident_id is None:
            raise ValueError("a resident's order needs the resident id")
        return self

    def masked(self) -> MaskedContact | None:
        """The contact as events and other people may see it, or None if none was given."""
        if self.name is None and self.phone is None:
            return self.masked_contact
        return MaskedContact(name=mask_name(self.name) if self.name else None,
                             phone=mask_phone(self.phone) if self.phone else None)


class Location(BaseModel):
    """Where the service is wanted, as WGS84 numbers (Open311's ``lat`` and ``long``)."""

    model_config = ConfigDict(frozen=True)

    lat: float = Field(ge=-90, le=90, allow_inf_nan=False)
    long: float = Field(ge=-180, le=180, allow_inf_nan=False)


class NewOrder(BaseModel):
    """An order as asked for (群众点单), before it gets an id and a status."""

    model_config = ConfigDict(frozen=True)

    unit: UnitRef
    category: CategoryCode
    need: Need
    place: ShortText
    location: Location | None = Field(default=None, description="The place as coordinates, "
                                      "when the client gave them.")
    window: TimeWindow
    audience_size: Audience = 1
    answers: dict[str, AnswerValue] = Field(default_factory=dict, max_length=20)
    requester: Requester
    channel: Channel
    request_id: Id | None = Field(default=None, description="The intake request it came from.")

    @model_validator(mode="after")
    def _at_a_station(self) -> NewOrder:
        # Orders enter at a station; escalation to the institute and centre comes later.
        if self.unit.station is None:
            raise ValueError("an order is placed at a station: set unit.station")
        return self

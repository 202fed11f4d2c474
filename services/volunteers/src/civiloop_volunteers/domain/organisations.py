"""Volunteer organisations (志愿服务组织): registered, changed, dissolved, and their members.

An organisation belongs to a unit; volunteers join it (a volunteer may be in several) and its
teams name it. Dissolving (注销) is final: the record stays, changes are refused.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, Field

from civiloop_contracts.events.volunteers import OrganisationRegistered, OrganisationUpdated
from civiloop_contracts.masking import FreeText
from civiloop_contracts.values import Id, ShortText, Specialty, UnitRef
from civiloop_volunteers.domain.errors import Conflict

RegistrationNumber = Field(default=None, min_length=2, max_length=32,
                           pattern=r"^[0-9A-Za-z-]+$", examples=["KQ-ZYZ-0001"])


class OrganisationKind(StrEnum):
    """What kind of body a registered volunteer organisation is."""

    ASSOCIATION = "association"  # 志愿者协会
    SOCIAL_ORGANISATION = "social_organisation"  # 社会组织
    INSTITUTION = "institution"  # 机关企事业单位
    OTHER = "other"


class NewOrganisation(BaseModel):
    """A volunteer organisation as registered by the district or a unit."""

    name: ShortText
    kind: OrganisationKind = OrganisationKind.ASSOCIATION
    unit: UnitRef
    specialties: list[Specialty] = Field(default_factory=list, max_length=6)
    number: str | None = RegistrationNumber


class OrganisationChanges(BaseModel):
    """An edit of an organisation; unset fields stay as they are."""

    name: ShortText | None = None
    kind: OrganisationKind | None = None
    specialties: list[Specialty] | None = Field(default=None, max_length=6)
    number: str | None = RegistrationNumber


class Organisation(NewOrganisation):
    """A registered organisation as stored, with its member count."""

    organisation_id: Id
    members: int = 0
    active: bool = True
    dissolved_at: AwareDatetime | None = None
    dissolved_reason: FreeText | None = None

    def event(self) -> OrganisationRegistered:
        """OrganisationRegistered for this organisation."""
        return OrganisationRegistered(organisation_id=self.organisation_id, name=self.name,
                                      unit=self.unit, specialties=self.specialties)

    def _require_active(self) -> None:
        if not self.active:
            raise Conflict(f"organisation {self.organisation_id} was dissolved")

    def change(self, changes: OrganisationChanges) -> OrganisationUpdated | None:
        """Apply ``changes``; OrganisationUpdated with what others track (None if nothing)."""
        self._require_active()
        before = (self.name, self.specialties)
        for name, value in changes.model_dump(exclude_unset=True, exclude_none=True).items():
            setattr(self, name, value)
        if (self.name, self.specialties) == before:
            return None
        return OrganisationUpdated(
            organisation_id=self.organisation_id,
            name=self.name if self.name != before[0] else None,
            specialties=self.specialties if self.specialties != before[1] else None)

    def recount(self, members: int) -> OrganisationUpdated | None:
        """Set the member count after joins or leaves; the event if it moved."""
        self._require_active()
        if members == self.members:
            return None
        self.members = members
        return OrganisationUpdated(organisation_id=self.organisation_id, members=members)

    def dissolve(self, reason: str, at: datetime) -> OrganisationUpdated:
        """注销: the organisation stops, for good; its record and members stay on file."""
        self._require_active()
        self.active, self.dissolved_at, self.dissolved_reason = False, at, reason
        return OrganisationUpdated(organisation_id=self.organisation_id, active=False)


class Membership(BaseModel):
    """A volunteer's membership of an organisation."""

    membership_id: Id
    organisation_id: Id
    volunteer_id: Id
    joined_at: AwareDatetime

    @staticmethod
    def key(organisation_id: str, volunteer_id: str) -> str:
        """The membership's id: one per organisation and volunteer."""
        return f"{organisation_id}:{volunteer_id}"

"""Volunteer teams (志愿服务队) and organisations (志愿服务组织), and their events.

A team belongs to a unit (centre, institute or station), has one specialty and platform,
a leader who is one of its members, and any number of members; a volunteer may be in
several teams.
"""

from __future__ import annotations

from pydantic import BaseModel, Field, model_validator

from civiloop_contracts.events.volunteers import (
    TeamRegistered,
    TeamUpdated,
)
from civiloop_contracts.values import Id, Platform, ShortText, Specialty, UnitCode, UnitRef
from civiloop_volunteers.domain.errors import Invalid


class NewTeam(BaseModel):
    """A team as its unit forms it."""

    name: ShortText
    specialty: Specialty
    platform: Platform
    unit: UnitRef
    organisation_id: Id | None = None
    leader_id: Id | None = None
    member_ids: list[Id] = Field(default_factory=list, max_length=500)
    stations_covered: list[UnitCode] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def _leader_is_a_member(self) -> NewTeam:
        self.member_ids = list(dict.fromkeys(self.member_ids))  # keep order, drop repeats
        if self.leader_id is not None and self.leader_id not in self.member_ids:
            self.member_ids.insert(0, self.leader_id)
        return self


class Team(NewTeam):
    """A team as stored."""

    team_id: Id
    active: bool = True

    def registered(self) -> TeamRegistered:
        """TeamRegistered for this team."""
        return TeamRegistered(
            team_id=self.team_id, name=self.name, specialty=self.specialty,
            platform=self.platform, unit=self.unit, organisation_id=self.organisation_id,
            leader_id=self.leader_id, member_ids=self.member_ids,
            stations_covered=self.stations_covered)


class TeamChanges(BaseModel):
    """An edit of a team: members added or removed, a new leader, a new name, (in)active."""

    name: ShortText | None = None
    leader_id: Id | None = None
    add_member_ids: list[Id] = Field(default_factory=list, max_length=500)
    remove_member_ids: list[Id] = Field(default_factory=list, max_length=500)
    active: bool | None = None
    stations_covered: list[UnitCode] | None = Field(default=None, max_length=50)


def change_team(team: Team, changes: TeamChanges) -> tuple[Team, TeamUpdated | None, set[str]]:
    """The edited team, TeamUpdated with what changed, and the volunteers whose teams changed."""
    members = [m for m in team.member_ids if m not in changes.remove_member_ids]
    members += [m for m in changes.add_member_ids if m not in members]
    leader = changes.leader_id or team.leader_id
    if leader is not None and leader in changes.remove_member_ids:
        raise Invalid(f"volunteer {leader} leads team {team.team_id}: name a new leader first")
    if leader is not None and leader not in members:
        members.insert(0, leader)
    updated = team.model_copy(update={
        "name": changes.name or team.name, "leader_id": leader, "member_ids": members,
        "active": team.active if changes.active is None else changes.active,
        "stations_covered": team.stations_covered if changes.stations_covered is None
        else changes.stations_covered})
    moved = set(team.member_ids) ^ set(members)
    fields = {f: getattr(updated, f) for f in ("name", "leader_id", "active", "stations_covered")
              if getattr(updated, f) != getattr(team, f)}
    if members != team.member_ids:
        fields["member_ids"] = members
    event = TeamUpdated(team_id=team.team_id, **fields) if fields else None
    return updated, event, moved

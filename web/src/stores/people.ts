// Names of the volunteers and teams in the caller's unit, for staff screens that list ids.
import { reactive } from "vue";
import { VOLUNTEERS, allPages } from "../api/http";
import type { Team, VolunteerRecord } from "../api/types";

export const people = reactive({ names: {} as Record<string, string> });
let loading: Promise<void> | null = null;

/** Load once; a refusal (a role that may not list them) leaves ids showing. */
export function loadPeople(): Promise<void> {
  loading ??= Promise.all([
    allPages<VolunteerRecord>(VOLUNTEERS).catch(() => []),
    allPages<Team>(`${VOLUNTEERS}/teams`).catch(() => []),
  ]).then(([volunteers, teams]) => {
    for (const v of volunteers) people.names[v.volunteer_id] = v.name;
    for (const team of teams) people.names[team.team_id] = team.name;
  });
  return loading;
}

export const nameOf = (id: string): string => people.names[id] ?? id;

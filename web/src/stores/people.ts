// Names of the volunteers and teams in the caller's unit, for staff screens that list ids.
import { reactive } from "vue";
import { VOLUNTEERS, api } from "../api/http";
import type { Team, VolunteerRecord } from "../api/types";

export const people = reactive({ names: {} as Record<string, string> });
let loading: Promise<void> | null = null;

/** Load once; a refusal (a role that may not list them) leaves ids showing. */
export function loadPeople(): Promise<void> {
  loading ??= Promise.all([
    api<VolunteerRecord[]>(VOLUNTEERS, { query: { limit: 1000 } }).catch(() => []),
    api<Team[]>(`${VOLUNTEERS}/teams`, { query: { limit: 1000 } }).catch(() => []),
  ]).then(([volunteers, teams]) => {
    for (const v of volunteers) people.names[v.volunteer_id] = v.name;
    for (const team of teams) people.names[team.team_id] = team.name;
  });
  return loading;
}

export const nameOf = (id: string): string => people.names[id] ?? id;

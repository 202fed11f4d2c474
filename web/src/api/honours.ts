// Honours by appraisal (评选) and volunteer organisations, as the volunteers service returns them.
import type { UnitRef } from "./types";

export type Stage = "nominated" | "in_notice" | "awarded" | "withdrawn";
export const STAGES: Stage[] = ["nominated", "in_notice", "awarded", "withdrawn"];
export const HONOUR_LEVELS = ["district", "city", "provincial", "national"] as const;

export interface Titles {
  titles: Record<string, string>; lei_feng_kinds: Record<string, string>;
  district_titles: string[]; notice_days: number;
}
export interface Objection {
  objection_id: string; text: string; raised_by: string; raised_at: string;
  upheld: boolean | null; note: string | null;
}
export interface Nomination {
  nomination_id: string; title: string; lei_feng_kind: string | null; district_title: string | null;
  level: string; year: number; holder_name: string; volunteer_id: string | null; unit: UnitRef;
  deeds: string; nominated_at: string; stage: Stage; review_note: string | null;
  notice_until: string | null; objections: Objection[]; decided_at: string | null; honour_id: string | null;
}
export interface NoticeItem {
  nomination_id: string; name: string; title: string; title_name: string; level: string; year: number;
  station: string; deeds: string; notice_until: string | null; objections: number;
}
export interface BoardItem {
  honour_id: string; name: string; title: string; title_name: string; level: string; year: number;
  station: string; story: string;
}
export const ORG_KINDS = ["association", "social_organisation", "institution", "other"] as const;
export interface Organisation {
  organisation_id: string; name: string; kind: string; unit: UnitRef; specialties: string[];
  number: string | null; members: number; active: boolean; dissolved_at: string | null;
  dissolved_reason: string | null; figures?: Figures;
}

/** The title as people say it: the title's name, or the 学雷锋 kind's, or the district's own. */
export function titleName(titles: Titles | null, n: Pick<Nomination, "title" | "lei_feng_kind" | "district_title">): string {
  if (n.district_title) return n.district_title;
  const name = titles?.titles[n.title] ?? n.title;
  return n.lei_feng_kind ? `${name}·${titles?.lei_feng_kinds[n.lei_feng_kind] ?? n.lei_feng_kind}` : name;
}

export interface OrgFields { name: string; kind: string; number: string; specialties: string[] }
export const SPECIALTIES = ["party_members", "science_tech", "law", "medicine_health", "culture_heritage", "culture_sport"];
export interface Figures { members: number; teams: number; active_teams: number; members_hours: number;
  members_serving: number; teams_hours: number }

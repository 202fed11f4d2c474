// Honours by appraisal (评选) and volunteer organisations, as the volunteers service returns them.
import { i18n } from "../i18n";
import { VOLUNTEERS, api } from "./http";
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

let titlesOnce: Promise<Titles> | null = null;

/** The titles the service offers, read once a page load (a failure is tried again next time). */
export function fetchTitles(): Promise<Titles> {
  titlesOnce ??= api<Titles>(`${VOLUNTEERS}/honours/titles`).catch((error: unknown) => {
    titlesOnce = null;
    throw error;
  });
  return titlesOnce;
}

/** A title's name in the reader's language: the locale's, else the service's (Chinese). */
export function titleLabel(code: string, name: string): string {
  return i18n.global.te(`honour_title.${code}`) ? i18n.global.t(`honour_title.${code}`) : name;
}

/** A 学雷锋 kind's name in the reader's language, as titleLabel. */
export function kindLabel(code: string, name: string): string {
  return i18n.global.te(`lei_feng_kind.${code}`) ? i18n.global.t(`lei_feng_kind.${code}`) : name;
}

/** The title as people say it: the title's name, or the 学雷锋 kind's, or the district's own. */
export function titleName(titles: Titles | null, n: Pick<Nomination, "title" | "lei_feng_kind" | "district_title">): string {
  if (n.district_title) return n.district_title;
  const name = titleLabel(n.title, titles?.titles[n.title] ?? n.title);
  return n.lei_feng_kind ? `${name}·${kindLabel(n.lei_feng_kind, titles?.lei_feng_kinds[n.lei_feng_kind] ?? n.lei_feng_kind)}` : name;
}

/** The fields of components/TitleFields: what an honour is and who holds it. */
export interface TitleForm { title: string; lei_feng_kind: string; district_title: string; level: string;
  year: number; holder_name: string; volunteer_id: string }
export const TITLE_FIELDS = ["title", "lei_feng_kind", "district_title", "level", "year", "holder_name", "volunteer_id"];

/** A blank TitleForm for this year, at district level. */
export const blankTitle = (): TitleForm => ({ title: "", lei_feng_kind: "", district_title: "", level: "district",
  year: new Date().getFullYear(), holder_name: "", volunteer_id: "" });

/** The fields the page can check itself: a title, and its kind or district title when it needs one. */
export function missingTitle(form: TitleForm): "title" | "lei_feng_kind" | "district_title" | null {
  if (!form.title) return "title";
  if (form.title === "lei_feng" && !form.lei_feng_kind) return "lei_feng_kind";
  if (form.title === "district" && !form.district_title) return "district_title";
  return null;
}

/** A TitleForm as the service takes it (a kind or district title only with its title). */
export function titleBody(form: TitleForm): Record<string, unknown> {
  return { title: form.title, lei_feng_kind: form.title === "lei_feng" ? form.lei_feng_kind : null,
    district_title: form.title === "district" ? form.district_title : null, level: form.level, year: form.year,
    holder_name: form.holder_name, volunteer_id: form.volunteer_id.trim() || null };
}

export interface OrgFields { name: string; kind: string; number: string; specialties: string[] }
export const SPECIALTIES = ["party_members", "science_tech", "law", "medicine_health", "culture_heritage", "culture_sport"];
export interface Figures { members: number; teams: number; active_teams: number; members_hours: number;
  members_serving: number; teams_hours: number }

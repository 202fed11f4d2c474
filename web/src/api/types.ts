// The shapes the services' APIs return (only the fields the screens read).

export type Role = "resident" | "volunteer" | "team_leader" | "station_operator" | "dispatcher"
  | "district_admin" | "service";

export interface Principal {
  subject: string;
  role: Role;
  station: string | null;
  institute: string | null;
}

export interface UnitRef { centre: string; institute?: string | null; station?: string | null }
export interface Unit { code: string; name: string; name_en: string | null; level: string; parent: string | null }
export interface TimeWindow { start: string; end: string }

export interface Question {
  code: string; label: string; kind: "number" | "text" | "yes_no" | "choice"; required: boolean;
  choices: string[];
}
export interface Category {
  code: string; name_zh: string; name_en: string; platform: string; specialty: string;
  group_activity: boolean; accept_within: string; questions: Question[];
}

export interface Contact { name: string | null; phone: string | null; masked: boolean }
export interface Order {
  order_id: string; unit: UnitRef; category: string; platform: string; group_activity: boolean;
  need: string; place: string; window: TimeWindow; audience_size: number;
  answers: Record<string, string | number | boolean>; status: string; placed_at: string;
  requested_by: Role; channel: string; contact: Contact | null; outcome: string | null;
  stars: number | null; duplicate_of: string | null; reopen_count: number;
}
export interface OrderPage { items: Order[]; total: number; page: number; page_size: number }
export interface Step { at: string; step: string; status: string; actor: Role; note: string | null }
export interface Timeline { order_id: string; status: string; steps: Step[] }
export interface Server { volunteer_id: string; name: string | null; star_level: number }

export interface Survey {
  survey_id: string; unit: UnitRef; title: string; categories: string[]; closes_at: string | null;
  respondents: number; open: boolean; answered: boolean | null;
}
export interface Demand { category: string; count: number; share: number }
export interface Ranking { respondents: number; demands: Demand[] }

export interface OfferItem {
  assignment_id: string; order_id: string; mode: "directive" | "grab"; accept_deadline: string;
  team_ids: string[]; volunteer_ids: string[]; withdrawn: string | null;
  withdrawals: Record<string, string>;
  accepted: { party: { volunteer_id: string | null; team_id: string | null }; by: string; at: string }[];
  declined: { party: { volunteer_id: string | null; team_id: string | null }; by: string; at: string }[];
  order: { order_id: string; category: string; need: string; place: string; window: TimeWindow;
    audience_size: number; group_activity: boolean; contact: { name: string | null; phone: string | null } | null;
    closed: string | null } | null;
}
export interface Attendance { checked_in_at: string; checked_out_at: string | null }
export interface ServiceState {
  order_id: string; volunteer_ids: string[]; attendance: Record<string, Attendance>;
  completed_at: string | null; people_served: number | null; summary: string | null;
}
export interface HoursEntry {
  entry_id: string; order_id: string | null; activity_id: string | null; activity_name: string | null; hours: number;
  status: string; served_on: string; content: string; source: string; recorded_at: string;
}
export interface Ledger { volunteer_id: string; counted_hours: number; star_level: number; entries: HoursEntry[] }
export interface VolunteerRecord {
  volunteer_id: string; name: string; phone: string; id_number: string; unit: UnitRef;
  specialties: string[]; skills: string[]; star_level: number; status: string;
  volunteer_number: string | null; team_ids?: string[];
}
export interface Team {
  team_id: string; name: string; specialty: string; platform: string; unit: UnitRef;
  leader_id: string | null; member_ids: string[]; active: boolean;
}

export interface Judgement { stars: number; tags: string[]; comment: string | null; flagged: boolean }
export interface RatingView { order_id: string; current: Judgement; given_at: string; recorded_by: Role }
export interface Note { text: string; by: string; at: string }
export interface FollowUp {
  follow_up_id: string; order_id: string; unit: UnitRef; cause: string; stars: number | null;
  opened_at: string; status: "open" | "assigned" | "resolved"; assignee: string | null;
  notes: Note[]; resolution: string | null; resolved_at: string | null;
}

export interface ScoreReason { criterion: string; weight: number; score: number; note: string | null }
export interface CaseView {
  order_id: string; status: string; level: string; unit: UnitRef; category: string;
  group_activity: boolean; attempt: number; escalations: number; served_by: string[];
  note: string | null; updated_at: string;
  offer: { assignment_id: string; mode: string; kind: string; assignees: string[]; declined: string[];
    deadline: string; score: number; reasons: ScoreReason[] } | null;
}
export interface Candidate { kind: string; id: string; home: UnitRef; load: number; score: number; reasons: ScoreReason[] }
export interface Spread { total: number; mean: number; stdev: number; min: number; max: number; cv: number }
export interface Fairness {
  kind: string; since: string; until: string; registered: number; served: number;
  assignments: Spread; hours: Spread; lines: { id: string; assignments: number; hours: number }[];
}

export type ActivityState = "planned" | "published" | "held" | "cancelled";
export interface Activity {
  activity_id: string; unit: UnitRef; platform: string; category: string; title: string; venue: string;
  window: TimeWindow; capacity: number; places_left: number; signed_up: number; staff_signed_up: number;
  staff_wanted: number; organiser_team_id: string | null; survey_id: string | null; state: ActivityState;
  served: number | null; mine: { participant: boolean; staff: boolean; checked_in: boolean; checked_out: boolean };
}
export interface Attendee { person_id: string; signed_up_at: string; checked_in_at: string | null; checked_out_at: string | null }
export interface AttendanceSheet {
  activity: Activity; check_in_code: string | null; participants: Attendee[]; staff: Attendee[];
  attended: number; walk_ins: number; served: number;
}

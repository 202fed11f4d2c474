// What a person may do with an activity now, by the same rules requests applies (domain/activity.py):
// sign up while published and not over (a resident: while places are left), give the place back
// before the start, check in from an hour before the start to an hour after the end.
import type { Activity } from "../../api/types";

export const DOORS_OPEN_MS = 3_600_000;

export type Action = "sign_up" | "cancel" | "check_in" | "check_out";

/** True while check-in is open: an hour before the start to an hour after the end. */
export function doorsOpen(a: Activity, now: number = Date.now()): boolean {
  return Date.parse(a.window.start) - DOORS_OPEN_MS <= now && now <= Date.parse(a.window.end) + DOORS_OPEN_MS;
}

/** The buttons a resident sees on a published activity. */
export function residentActions(a: Activity, now: number = Date.now()): Action[] {
  if (a.state !== "published") return [];
  const begun = now >= Date.parse(a.window.start);
  const over = now >= Date.parse(a.window.end);
  const actions: Action[] = [];
  if (!a.mine.participant && !over && a.places_left > 0) actions.push("sign_up");
  if (a.mine.participant && !begun) actions.push("cancel");
  if (!a.mine.checked_in && doorsOpen(a, now) && (a.mine.participant || a.places_left > 0)) actions.push("check_in");
  return actions;
}

/** The buttons a volunteer sees (staff): sign up, withdraw before the start, check in and out. */
export function staffActions(a: Activity, now: number = Date.now()): Action[] {
  if (a.state !== "published") return [];
  const begun = now >= Date.parse(a.window.start);
  if (!a.mine.staff) return now < Date.parse(a.window.end) ? ["sign_up"] : [];
  const actions: Action[] = [];
  if (!begun && !a.mine.checked_in) actions.push("cancel");
  if (doorsOpen(a, now) && !a.mine.checked_in) actions.push("check_in");
  if (doorsOpen(a, now) && a.mine.checked_in && !a.mine.checked_out) actions.push("check_out");
  return actions;
}

/** The organiser's next steps: publish a plan, take attendance once the doors open, hold once begun. */
export function organiserActions(a: Activity, now: number = Date.now()): ("publish" | "cancel" | "attendance" | "hold")[] {
  if (a.state === "planned") return ["publish", "cancel"];
  if (a.state !== "published") return [];
  const steps: ("publish" | "cancel" | "attendance" | "hold")[] = [];
  if (now < Date.parse(a.window.start)) steps.push("cancel");
  if (doorsOpen(a, now)) steps.push("attendance");
  if (now >= Date.parse(a.window.start)) steps.push("hold");
  return steps;
}

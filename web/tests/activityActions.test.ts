import { describe, expect, it } from "vitest";
import type { Activity } from "../src/api/types";
import { organiserActions, residentActions, staffActions } from "../src/views/activity/actions";

const HOUR = 3_600_000;
const now = Date.parse("2026-12-05T10:00:00Z");
const at = (h: number) => new Date(now + h * HOUR).toISOString();
const mine = { participant: false, staff: false, checked_in: false, checked_out: false };
const activity = (startH: number, endH: number, changes: Partial<Activity> = {}): Activity => ({
  activity_id: "act-1", unit: { centre: "c" }, platform: "science", category: "free_clinic", title: "义诊", venue: "广场",
  window: { start: at(startH), end: at(endH) }, capacity: 2, places_left: 2, signed_up: 0, staff_signed_up: 0,
  staff_wanted: 1, organiser_team_id: null, survey_id: null, state: "published", served: null, mine, ...changes,
});

describe("a resident and an activity", () => {
  it("signs up before it ends while places are left, and gives the place back only before the start", () => {
    expect(residentActions(activity(24, 26), now)).toEqual(["sign_up"]);
    expect(residentActions(activity(24, 26, { places_left: 0 }), now)).toEqual([]);
    expect(residentActions(activity(24, 26, { mine: { ...mine, participant: true } }), now)).toEqual(["cancel"]);
    expect(residentActions(activity(-1, 1, { mine: { ...mine, participant: true } }), now)).toEqual(["check_in"]);
  });
  it("checks in from an hour before the start to an hour after the end, once", () => {
    expect(residentActions(activity(0.5, 2), now)).toEqual(["sign_up", "check_in"]);
    expect(residentActions(activity(-3, -0.5, { mine: { ...mine, participant: true } }), now)).toEqual(["check_in"]);
    expect(residentActions(activity(-3, -1.5, { mine: { ...mine, participant: true } }), now)).toEqual([]);
    expect(residentActions(activity(-1, 1, { mine: { ...mine, participant: true, checked_in: true } }), now)).toEqual([]);
  });
  it("sees nothing to do on a held or cancelled one", () => {
    expect(residentActions(activity(24, 26, { state: "held" }), now)).toEqual([]);
    expect(residentActions(activity(24, 26, { state: "cancelled" }), now)).toEqual([]);
  });
});

describe("a volunteer serving at an activity", () => {
  it("signs up, withdraws before the start, checks in and then out at the activity", () => {
    expect(staffActions(activity(24, 26), now)).toEqual(["sign_up"]);
    expect(staffActions(activity(24, 26, { mine: { ...mine, staff: true } }), now)).toEqual(["cancel"]);
    expect(staffActions(activity(-1, 1, { mine: { ...mine, staff: true } }), now)).toEqual(["check_in"]);
    expect(staffActions(activity(-1, 1, { mine: { ...mine, staff: true, checked_in: true } }), now)).toEqual(["check_out"]);
    expect(staffActions(activity(-1, 1, { mine: { ...mine, staff: true, checked_in: true, checked_out: true } }), now)).toEqual([]);
  });
});

describe("the organiser's next steps", () => {
  it("publishes a plan, takes attendance when the doors open, holds once begun", () => {
    expect(organiserActions(activity(24, 26, { state: "planned" }), now)).toEqual(["publish", "cancel"]);
    expect(organiserActions(activity(24, 26), now)).toEqual(["cancel"]);
    expect(organiserActions(activity(0.5, 2), now)).toEqual(["cancel", "attendance"]);
    expect(organiserActions(activity(-0.5, 2), now)).toEqual(["attendance", "hold"]);
    expect(organiserActions(activity(-0.5, 2, { state: "held" }), now)).toEqual([]);
  });
});

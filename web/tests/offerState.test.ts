import { describe, expect, it } from "vitest";
import type { OfferItem } from "../src/api/types";
import { stateOf } from "../src/views/volunteer/offerState";

const later = new Date(Date.now() + 3_600_000).toISOString();
const offer = (changes: Partial<OfferItem>): OfferItem => ({
  assignment_id: "as-1", order_id: "ord-1", mode: "grab", accept_deadline: later, team_ids: [],
  volunteer_ids: ["me", "you"], withdrawn: null, withdrawals: {}, accepted: [], declined: [], order: null,
  ...changes,
});
const party = (id: string) => ({ party: { volunteer_id: id, team_id: null }, by: id, at: later });

describe("an offer seen by one volunteer", () => {
  it("waits for an answer until someone answers it", () => {
    expect(stateOf(offer({}), "me")).toBe("awaiting");
  });
  it("is taken by someone else at once in grab mode, before dispatch withdraws it", () => {
    expect(stateOf(offer({ accepted: [party("you")] }), "me")).toBe("taken");
    expect(stateOf(offer({ withdrawals: { me: "grab_lost" } }), "me")).toBe("taken");
    expect(stateOf(offer({ accepted: [party("you")] }), "you")).toBe("accepted");
  });
  it("stays open for the others in directive mode", () => {
    expect(stateOf(offer({ mode: "directive", accepted: [party("you")] }), "me")).toBe("awaiting");
  });
  it("says why it no longer stands", () => {
    expect(stateOf(offer({ withdrawals: { "*": "taken_back" } }), "me")).toBe("withdrawn");
    expect(stateOf(offer({ declined: [party("me")] }), "me")).toBe("declined");
    expect(stateOf(offer({ accept_deadline: new Date(Date.now() - 1000).toISOString() }), "me")).toBe("expired");
  });
  it("answers a team's offer through its leader", () => {
    const team = offer({ volunteer_ids: [], team_ids: ["team-1"], mode: "directive" });
    expect(stateOf({ ...team, accepted: [{ party: { volunteer_id: null, team_id: "team-1" }, by: "me", at: later }] }, "me"))
      .toBe("accepted");
  });
});

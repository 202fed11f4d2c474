// What an offer means for the volunteer looking at it: answer it, or why not any more.
import type { OfferItem } from "../../api/types";

export type OfferState = "awaiting" | "accepted" | "declined" | "taken" | "withdrawn" | "expired" | "closed";

/** The key this volunteer answers the offer under: themselves, or a team offered to them as leader. */
export function partyOf(offer: OfferItem, me: string): { volunteer_id?: string; team_id?: string } {
  if (offer.volunteer_ids.includes(me)) return { volunteer_id: me };
  return offer.team_ids.length ? { team_id: offer.team_ids[0] } : { volunteer_id: me };
}

export function stateOf(offer: OfferItem, me: string, now: number = Date.now()): OfferState {
  const party = partyOf(offer, me);
  const key = party.team_id ?? me;
  const mine = (p: { volunteer_id: string | null; team_id: string | null }) => (p.team_id ?? p.volunteer_id) === key;
  if (offer.accepted.some((a) => mine(a.party))) return "accepted";
  if (offer.declined.some((d) => mine(d.party))) return "declined";
  const reason = offer.withdrawals["*"] ?? offer.withdrawals[key] ?? null;
  if (reason === "grab_lost" || (offer.mode === "grab" && offer.accepted.length > 0)) return "taken";
  if (reason) return "withdrawn";
  if (offer.order?.closed) return "closed";
  if (Date.parse(offer.accept_deadline) < now) return "expired";
  return "awaiting";
}

// Who is signed in: the token (kept for this browser tab only) and the claims the services verified.
import { reactive } from "vue";
import { ApiError, REQUESTS, api, useToken, whenUnauthorized } from "./api/http";
import type { Principal, Role } from "./api/types";

const KEY = "civiloop.token";

export const session = reactive({
  token: null as string | null,
  principal: null as Principal | null,
  /** Why the last token was refused (shown on the sign-in page), or null. */
  refused: null as string | null,
});

/** Check ``token`` with the services (GET …/auth/me) and sign in with it; ApiError if refused. */
export async function signIn(token: string): Promise<Principal> {
  const trimmed = token.trim().replace(/^Bearer\s+/i, "");
  if (!trimmed) throw new ApiError(422, [{ loc: ["token"], msg: "empty", type: "missing" }]);
  const principal = await api<Principal>(`${REQUESTS}/auth/me`, { bearer: trimmed });
  Object.assign(session, { token: trimmed, principal, refused: null });
  useToken(trimmed);
  sessionStorage.setItem(KEY, trimmed);
  return principal;
}

export function signOut(reason: string | null = null): void {
  Object.assign(session, { token: null, principal: null, refused: reason });
  useToken(null);
  sessionStorage.removeItem(KEY);
}

/** Sign in again with the token this tab kept, if it still holds; false otherwise. */
export async function restore(): Promise<boolean> {
  const kept = sessionStorage.getItem(KEY);
  if (!kept) return false;
  try {
    await signIn(kept);
    return true;
  } catch (error) {
    signOut(error instanceof ApiError ? String(error.detail) : null);
    return false;
  }
}

whenUnauthorized((error) => signOut(String(error.detail)));

/** The screen each role starts on. */
export function homeOf(role: Role): string {
  switch (role) {
    case "resident": return "/resident";
    case "volunteer": case "team_leader": return "/volunteer";
    case "station_operator": return "/station";
    case "dispatcher": return "/dispatch";
    case "district_admin": return "/district";
    default: return "/refused";
  }
}

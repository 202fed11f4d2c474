// Every call the screens make: same origin (the gateway), the signed-in token, refusals as ApiError.
import { sortDetail, type Sorted } from "./errors";

/** A refused or failed call: the HTTP status and what the service said. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly detail: unknown) {
    super(typeof detail === "string" ? detail : `HTTP ${status}`);
  }

  /** The refusal sorted for a form with these field names. */
  sorted(known: readonly string[]): Sorted {
    return sortDetail(this.detail, known);
  }
}

export type Query = Record<string, string | number | boolean | string[] | null | undefined>;
let token: string | null = null;
let onUnauthorized: (error: ApiError) => void = () => {};

/** Use ``value`` as the bearer token of every later call (null: none). */
export function useToken(value: string | null): void {
  token = value;
}

/** Be told when a call is refused with 401 (the token went bad while the page was open). */
export function whenUnauthorized(handler: (error: ApiError) => void): void {
  onUnauthorized = handler;
}

export function queryString(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === null || value === undefined || value === "") continue;
    for (const one of Array.isArray(value) ? value : [value]) params.append(key, String(one));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  query?: Query;
  headers?: Record<string, string>;
  bearer?: string | null;
}

/** The raw reply of ``path`` (e.g. /api/v1/requests/orders); ApiError unless 2xx. */
export async function call(path: string, options: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
  const bearer = options.bearer === undefined ? token : options.bearer;
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  let reply: Response;
  try {
    reply = await fetch(path + queryString(options.query), {
      method: options.method ?? (options.body === undefined ? "GET" : "POST"), headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(0, "network");
  }
  if (!reply.ok) {
    const text = await reply.text();
    let detail: unknown = text;
    try { detail = (JSON.parse(text) as { detail?: unknown }).detail ?? text; } catch { /* plain text */ }
    const error = new ApiError(reply.status, detail);
    if (reply.status === 401 && bearer === token) onUnauthorized(error);
    throw error;
  }
  return reply;
}

/** The JSON reply of ``path``. */
export async function api<T>(path: string, options: CallOptions = {}): Promise<T> {
  const reply = await call(path, options);
  return (reply.status === 204 ? undefined : await reply.json()) as T;
}

/** A listing's page as the services answer it. */
export interface Page<T> { items: T[]; total: number; page: number; page_size: number }

export const MAX_PAGE_SIZE = 200;

/** Every item of a paged listing, page by page (at most ``maxPages`` pages). */
export async function allPages<T>(path: string, query: Query = {}, maxPages = 50): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; page <= maxPages; page++) {
    const got = await api<Page<T>>(path, { query: { ...query, page, page_size: MAX_PAGE_SIZE } });
    items.push(...got.items);
    if (items.length >= got.total || got.items.length === 0) break;
  }
  return items;
}

/** Paths of the five services behind the gateway. */
export const REQUESTS = "/api/v1/requests";
export const DISPATCH = "/api/v1/dispatch";
export const VOLUNTEERS = "/api/v1/volunteers";
export const FEEDBACK = "/api/v1/feedback";
export const STATS = "/api/v1/stats";

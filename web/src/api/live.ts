// Live updates: one Server-Sent Events stream per screen (docs/live.md), closed when it unmounts.
import { onBeforeUnmount, ref, type Ref } from "vue";
import { ApiError, queryString } from "./http";
import { session } from "../session";

export type LiveState = "connecting" | "live" | "reconnecting" | "closed";

export interface LiveHandlers<T> {
  /** The stream is listening: fetch the current state now unless it resumed. */
  ready(resumed: boolean): void;
  /** One thing changed: the whole current item. */
  item(item: T): void;
}

/**
 * Open ``path`` (a …/live route) for the signed-in caller and hand each ``event`` to the
 * handlers. The browser reconnects by itself; a refusal closes the stream for good, and
 * the screen then still shows what a plain fetch gives (``ready(false)``).
 */
export function useLive<T>(path: string, event: string, handlers: LiveHandlers<T>,
                           query: Record<string, string> = {}): Ref<LiveState> {
  const state = ref<LiveState>("connecting");
  if (typeof EventSource === "undefined" || !session.token) {
    state.value = "closed";
    handlers.ready(false);
    return state;
  }
  let heard = false;
  const source = new EventSource(path + queryString({ ...query, access_token: session.token }));
  source.addEventListener("ready", (message) => {
    heard = true;
    state.value = "live";
    const data = JSON.parse((message as MessageEvent<string>).data) as { resumed?: boolean };
    handlers.ready(Boolean(data.resumed));
  });
  source.addEventListener(event, (message) => {
    handlers.item(JSON.parse((message as MessageEvent<string>).data) as T);
  });
  source.onerror = () => {
    const closed = source.readyState === EventSource.CLOSED;
    state.value = closed ? "closed" : "reconnecting";
    if (closed && !heard) handlers.ready(false);  // no stream: still show the current state
  };
  onBeforeUnmount(() => source.close());
  return state;
}

/** Replace the item with the same key in ``list`` (or add it first); returns the new list. */
export function upsert<T>(list: T[], item: T, key: (t: T) => string): T[] {
  const at = list.findIndex((t) => key(t) === key(item));
  if (at === -1) return [item, ...list];
  const copy = list.slice();
  copy[at] = item;
  return copy;
}

export interface LiveListOptions<T> {
  path: string;
  event: string;
  key: (item: T) => string;
  load: () => Promise<T[]>;
  query?: Record<string, string>;
  /** Also told of every item the stream brings (after it is in the list). */
  changed?: (item: T) => void;
}

/**
 * A list kept current: fetched when the stream is ready, then changed item by item. An item
 * that arrives while a fetch is on its way is laid over the fetch's answer, never lost.
 */
export function useLiveList<T>(options: LiveListOptions<T>) {
  const items = ref<T[]>([]) as Ref<T[]>;
  const error = ref<ApiError | null>(null);
  const loaded = ref(false);
  let generation = 0;
  let arrived: T[] = [];

  async function reload(): Promise<void> {
    const mine = ++generation;
    arrived = [];
    try {
      let list = await options.load();
      if (mine !== generation) return;
      for (const item of arrived) list = upsert(list, item, options.key);
      items.value = list;
      error.value = null;
    } catch (caught) {
      if (mine === generation) error.value = caught instanceof ApiError ? caught : new ApiError(0, String(caught));
    } finally {
      if (mine === generation) loaded.value = true;
    }
  }

  const state = useLive<T>(options.path, options.event, {
    ready: (resumed) => { if (!resumed || !loaded.value) void reload(); },
    item: (item) => {
      arrived.push(item);
      items.value = upsert(items.value, item, options.key);
      options.changed?.(item);
    },
  }, options.query);
  return { items, error, loaded, state, reload };
}

// The AI history as the screen pages it: GET /api/v1/ai/interactions newest first, each older
// page asked with before_id = the previous page's next_before (0: no older page). A new role
// filter starts again from the newest; an answer for a filter no longer shown is dropped.
import { useCallback, useEffect, useState } from "react";
import { api } from "../api";
import type { AICall, AIInteractionPage } from "../types";

export const PAGE_SIZE = 20;

export interface History {
  items: AICall[];
  /** before_id of the next older page; 0 when the last page has been read. */
  next: number;
  loading: boolean;
  /** Whether a first page has arrived for this filter. */
  loaded: boolean;
  error?: unknown;
  older(): void;
  reload(): void;
}

export function useHistory(role: string): History {
  const [reloads, setReloads] = useState(0);
  // The filter the state belongs to: state of another filter reads as not loaded yet.
  const key = `${role}#${reloads}`;
  const [s, setS] = useState<{ key: string; items: AICall[]; next: number; older: boolean; error?: unknown }>(
    { key: "", items: [], next: 0, older: false },
  );
  const query = useCallback((before?: number, signal?: AbortSignal) =>
    api.get<AIInteractionPage>("/ai/interactions", { limit: PAGE_SIZE, role: role || undefined, before_id: before || undefined }, signal), [role]);

  useEffect(() => {
    const ctl = new AbortController();
    query(undefined, ctl.signal).then(
      (page) => setS({ key, items: page.items, next: page.next_before, older: false }),
      (error: unknown) => {
        if (!ctl.signal.aborted) setS({ key, items: [], next: 0, older: false, error });
      },
    );
    return () => ctl.abort();
  }, [key, query]);

  const loaded = s.key === key;
  const older = useCallback(() => {
    if (!loaded || s.next === 0 || s.older) return;
    setS({ ...s, older: true, error: undefined });
    query(s.next).then(
      (page) => setS((cur) => cur.key !== key ? cur : {
        ...cur, older: false, next: page.next_before,
        items: [...cur.items, ...page.items.filter((r) => !cur.items.some((x) => x.id === r.id))],
      }),
      (error: unknown) => setS((cur) => (cur.key !== key ? cur : { ...cur, older: false, error })),
    );
  }, [loaded, s, key, query]);
  const reload = useCallback(() => setReloads((n) => n + 1), []);
  return loaded
    ? { items: s.items, next: s.next, loading: s.older, loaded: true, error: s.error, older, reload }
    : { items: [], next: 0, loading: true, loaded: false, older, reload };
}

/** Whether a live AI message is a full interaction row (the weekly report's push is shorter). */
export function isCall(m: unknown): m is AICall {
  const r = m as Partial<AICall> | null;
  return typeof r?.id === "number" && typeof r.role === "string" && typeof r.created_at === "string";
}

/**
 * The history with the live channel's rows that arrived after its newest page was read on top
 * (newest first, each id once), keeping to the role filter.
 */
export function withLive(items: AICall[], live: unknown[], role: string): AICall[] {
  const top = items[0]?.id ?? 0;
  const fresh = live.filter(isCall).filter((r) => r.id > top && (!role || r.role === role));
  const seen = new Set<number>();
  return [...fresh.sort((a, b) => b.id - a.id), ...items].filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true)));
}

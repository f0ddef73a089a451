// Working with a patchy network: the last answer of each screen's reads is kept on the device
// so the app opens offline with the last data, and a product created or an order status changed
// while offline waits in a visible queue that is sent when the network returns. Each queued
// request carries its Idempotency-Key from the first attempt on, so a request whose answer was
// lost is answered by the server from its first run and never applied twice.
import { create } from "zustand";
import { ApiError, NetworkError } from "@alorig/ui";
import { api } from "./api";

const DATA_PREFIX = "snapify.seller.data:";
const QUEUE_KEY = "snapify.seller.queue";

/** Reads through the API, keeping the answer; offline, the kept answer is returned as stale. */
export async function readCached<T>(key: string, load: () => Promise<T>): Promise<{ data: T; stale: boolean; at?: number }> {
  try {
    const data = await load();
    try {
      localStorage.setItem(DATA_PREFIX + key, JSON.stringify({ at: Date.now(), data }));
    } catch {
      // A full or closed storage only loses the offline copy.
    }
    return { data, stale: false };
  } catch (e) {
    if (!(e instanceof NetworkError)) throw e;
    const raw = localStorage.getItem(DATA_PREFIX + key);
    if (!raw) throw e;
    const kept = JSON.parse(raw) as { at: number; data: T };
    return { data: kept.data, stale: true, at: kept.at };
  }
}

export function newKey(): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

export type QueuedKind = "product" | "status";

export interface Queued {
  /** The Idempotency-Key, fixed at the first attempt. */
  key: string;
  kind: QueuedKind;
  store: string;
  path: string;
  body: unknown;
  /** What the seller reads in the queue ("Clay pot", "SN-1001 → shipped"). */
  label: string;
  queuedAt: number;
  /** The server's refusal, when it refused (kept until the seller discards it). */
  error?: { status: number; code: string; detail: string };
}

interface QueueState {
  items: Queued[];
  sending: boolean;
  /** Bumped after a queued request went through, so screens re-read. */
  sent: number;
  add(q: Queued): void;
  discard(key: string): void;
  flush(): Promise<void>;
}

function load(): Queued[] {
  try {
    return JSON.parse(localStorage.getItem(QUEUE_KEY) ?? "[]") as Queued[];
  } catch {
    return [];
  }
}

function save(items: Queued[]) {
  try {
    localStorage.setItem(QUEUE_KEY, JSON.stringify(items));
  } catch {
    // Kept in memory only.
  }
}

export const useQueue = create<QueueState>((set, get) => ({
  items: load(),
  sending: false,
  sent: 0,
  add(q) {
    const items = [...get().items.filter((i) => i.key !== q.key), q];
    save(items);
    set({ items });
  },
  discard(key) {
    const items = get().items.filter((i) => i.key !== key);
    save(items);
    set({ items });
  },
  async flush() {
    if (get().sending) return;
    set({ sending: true });
    try {
      for (const item of get().items) {
        if (item.error) continue;
        try {
          await send(item.path, item.body, item.key);
          get().discard(item.key);
          set((s) => ({ sent: s.sent + 1 }));
        } catch (e) {
          if (e instanceof NetworkError) return; // still offline: try again later
          if (e instanceof ApiError && e.code === "IDEMPOTENCY_IN_PROGRESS") return;
          const err = e instanceof ApiError ? { status: e.status, code: e.code, detail: e.detail } : { status: 0, code: "ERROR", detail: String(e) };
          const items = get().items.map((i) => (i.key === item.key ? { ...i, error: err } : i));
          save(items);
          set({ items });
        }
      }
    } finally {
      set({ sending: false });
    }
  },
}));

function send<T>(path: string, body: unknown, key: string): Promise<T> {
  return api.post<T>(path, body, { headers: { "Idempotency-Key": key } });
}

/**
 * Sends a product creation or a status change with a fresh Idempotency-Key; when the network
 * fails, queues it with that same key (the server may have applied it already) and answers
 * undefined. A refusal is thrown, to be shown next to the form.
 */
export async function sendOrQueue<T>(kind: QueuedKind, store: string, path: string, body: unknown, label: string): Promise<T | undefined> {
  const key = newKey();
  try {
    return await send<T>(path, body, key);
  } catch (e) {
    if (!(e instanceof NetworkError)) throw e;
    useQueue.getState().add({ key, kind, store, path, body, label, queuedAt: Date.now() });
    return undefined;
  }
}

/** Sends the queue when the network returns, now and every 15 s while items wait. */
export function startQueue() {
  const flush = () => void useQueue.getState().flush();
  window.addEventListener("online", flush);
  setInterval(() => {
    if (useQueue.getState().items.some((i) => !i.error)) flush();
  }, 15_000);
  flush();
}

/** Online or not, as the browser sees it; re-renders on change. */
export const useOnline = create<{ online: boolean }>(() => ({ online: typeof navigator === "undefined" ? true : navigator.onLine }));
if (typeof window !== "undefined") {
  window.addEventListener("online", () => useOnline.setState({ online: true }));
  window.addEventListener("offline", () => useOnline.setState({ online: false }));
}

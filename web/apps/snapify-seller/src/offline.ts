// Working with a patchy network: the last answer of each screen's reads is kept on the device
// so the app opens offline with the last data, and a product created or an order status changed
// while offline waits in a visible queue that is sent when the network returns. Each queued
// request carries its Idempotency-Key from the first attempt on, so a request whose answer was
// lost is answered by the server from its first run and never applied twice. A new product's
// photos taken without a network are kept in IndexedDB and uploaded before it (queue.ts).
import { create } from "zustand";
import { NetworkError } from "@alorig/ui";
import { api } from "./api";
import { idbBlobs } from "./blobs";
import { createQueue, type KV, type QueuedKind } from "./queue";
import { uploadPhoto } from "./upload";

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

export type { Progress, Queued, QueuedKind, QueuedPhoto } from "./queue";

/** localStorage, or nothing when the browser closes it (the queue then lives in memory). */
const kv: KV = {
  getItem: (k) => {
    try {
      return localStorage.getItem(k);
    } catch {
      return null;
    }
  },
  setItem: (k, v) => localStorage.setItem(k, v),
};

const photos = idbBlobs();

export const useQueue = createQueue({ kv, kvKey: QUEUE_KEY, blobs: photos, send, upload: uploadPhoto });

/** A queued photo kept on the phone, for its thumbnail. */
export function keptPhoto(id: string): Promise<Blob | undefined> {
  return photos.get(id);
}

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

/**
 * Queues a new product with photos taken while the upload could not be made: the resized
 * photos go to IndexedDB, the product to the queue with a fresh Idempotency-Key, and the queue
 * is sent at once when the network is there (the photos are uploaded with progress, then the
 * product is created with them). Fails, queuing nothing, when the phone cannot keep the photos.
 */
export async function queueProduct(store: string, path: string, body: unknown, label: string, photos: Blob[]): Promise<void> {
  await useQueue.getState().addWithPhotos({ key: newKey(), kind: "product", store, path, body, label, queuedAt: Date.now() }, photos);
  void useQueue.getState().flush();
}

/** Sends the queue when the network returns, now and every 15 s while items wait. */
export function startQueue() {
  const flush = () => void useQueue.getState().flush();
  useQueue.getState().sweep().catch((e: unknown) => console.warn("offline photos not swept", e));
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

// The offline queue's rules, apart from where it keeps things and how it reaches the server:
// offline.ts wires in localStorage (the queued requests), IndexedDB (their photos), the API
// client and the photo upload; the tests use an in-memory storage and a scripted server.
//
// A queued request keeps its Idempotency-Key from the first attempt on, so a send whose answer
// was lost is answered by the server from its first run and never applied twice. A product
// added without a network keeps its resized photos: when the network returns each is uploaded
// (with progress), the picture the server answers is written into the queued item at once, so
// a later try never uploads it again, and only then is the product created with those pictures.
// Uploads are content-addressed on the server (the same bytes are the same picture), so one
// repeated because its answer was lost adds nothing.
import { create } from "zustand";
import { ApiError, NetworkError } from "@alorig/ui";
import type { BlobStore } from "./blobs";
import type { Picture, Uploaded } from "./types";

export type QueuedKind = "product" | "status";

export interface QueuedPhoto {
  /** The photo's key in the BlobStore. */
  id: string;
  bytes: number;
  type: string;
  /** The server's picture once uploaded: kept so that no later try uploads the photo again. */
  picture?: Picture;
}

export interface Problem {
  status: number;
  code: string;
  detail: string;
}

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
  /** Photos taken offline, uploaded before the request and added to its body's images. */
  photos?: QueuedPhoto[];
  /** The server's refusal, when it refused (kept until the seller discards it). */
  error?: Problem;
  /** Why the last try was put off when the server answered "not now" (5xx, 429, signed out). */
  retry?: Problem;
}

/** The upload under way: photo n of photos, fraction 0..1 of its bytes sent. */
export interface Progress {
  key: string;
  photo: number;
  photos: number;
  fraction: number;
}

export interface KV {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface QueueDeps {
  /** Where the queued requests are kept as JSON (localStorage in the app). */
  kv: KV;
  kvKey: string;
  /** Where the photos are kept (IndexedDB in the app). */
  blobs: BlobStore;
  send(path: string, body: unknown, key: string): Promise<unknown>;
  upload(store: string, blob: Blob, onProgress: (fraction: number) => void): Promise<Uploaded>;
}

export interface QueueState {
  items: Queued[];
  sending: boolean;
  /** Bumped after a queued request went through, so screens re-read. */
  sent: number;
  progress?: Progress;
  add(q: Queued): void;
  /** Keeps the photos in the BlobStore, then queues q naming them; fails (queuing nothing) when they cannot be kept. */
  addWithPhotos(q: Omit<Queued, "photos">, photos: Blob[]): Promise<void>;
  /** Drops an item and its photos. */
  discard(key: string): void;
  /** Sends what waits, in order; stops at the first "not now" (offline, 5xx, 429, signed out). */
  flush(): Promise<void>;
  /** Deletes kept photos that no queued item names (an item discarded while storage failed). */
  sweep(): Promise<void>;
}

/** A photo the queue named is no longer on the phone (the browser's storage was cleared). */
class PhotoLost extends Error {
  readonly code = "PHOTO_LOST";
}

/** The phone's storage did not answer: tried again later, never taken as a refusal. */
class StorageTrouble extends Error {
  readonly code = "STORAGE";
}

/** Whether a failed try is to be repeated later rather than shown as the server's refusal. */
export function later(e: unknown): boolean {
  if (e instanceof NetworkError || e instanceof StorageTrouble) return true;
  if (e instanceof ApiError) return e.status === 401 || e.status === 408 || e.status === 429 || e.status >= 500 || e.code === "IDEMPOTENCY_IN_PROGRESS";
  return false;
}

function describe(e: unknown): Problem {
  if (e instanceof ApiError) return { status: e.status, code: e.code, detail: e.detail };
  const code = e instanceof PhotoLost || e instanceof StorageTrouble ? e.code : "ERROR";
  return { status: 0, code, detail: e instanceof Error ? e.message : String(e) };
}

function withImages(body: unknown, pics: Picture[]): unknown {
  const b = (body ?? {}) as { images?: Picture[] };
  return { ...b, images: [...(b.images ?? []), ...pics] };
}

export function createQueue(deps: QueueDeps) {
  const load = (): Queued[] => {
    try {
      const v = JSON.parse(deps.kv.getItem(deps.kvKey) ?? "[]") as unknown;
      return Array.isArray(v) ? (v as Queued[]) : [];
    } catch {
      return [];
    }
  };
  // Photos being written for an item not yet queued: a sweep leaves them alone.
  const adding = new Set<string>();
  let again = false;

  return create<QueueState>((set, get) => {
    const save = (items: Queued[]) => {
      try {
        deps.kv.setItem(deps.kvKey, JSON.stringify(items));
      } catch {
        // A full or closed storage keeps the queue in memory only, until the app closes.
      }
      set({ items });
    };
    const update = (key: string, f: (q: Queued) => Queued) => save(get().items.map((i) => (i.key === key ? f(i) : i)));
    const dropBlobs = (q: Queued | undefined) => {
      for (const p of q?.photos ?? []) void deps.blobs.delete(p.id).catch(() => undefined); // swept at the next start
    };

    /** Uploads the item's photos not yet uploaded, recording each picture; the body with them. */
    const uploadPhotos = async (item: Queued): Promise<unknown> => {
      const n = item.photos?.length ?? 0;
      for (let i = 0; i < n; i++) {
        const p = get().items.find((x) => x.key === item.key)?.photos?.[i];
        if (!p || p.picture) continue;
        let blob: Blob | undefined;
        try {
          blob = await deps.blobs.get(p.id);
        } catch (e) {
          throw new StorageTrouble(`the phone's storage did not give back photo ${i + 1}: ${e instanceof Error ? e.message : String(e)}`);
        }
        if (!blob) throw new PhotoLost(`photo ${i + 1} is no longer on this phone (the browser's storage was cleared); discard this and add the product again`);
        set({ progress: { key: item.key, photo: i + 1, photos: n, fraction: 0 } });
        const up = await deps.upload(item.store, blob, (fraction) =>
          set((s) => (s.progress?.key === item.key ? { progress: { ...s.progress, fraction } } : {})));
        update(item.key, (q) => ({ ...q, photos: q.photos?.map((x, j) => (j === i ? { ...x, picture: up.picture } : x)) }));
      }
      const done = get().items.find((x) => x.key === item.key)?.photos ?? [];
      return withImages(item.body, done.map((x) => x.picture!));
    };

    return {
      items: load(),
      sending: false,
      sent: 0,
      add(q) {
        save([...get().items.filter((i) => i.key !== q.key), q]);
      },
      async addWithPhotos(q, blobs) {
        const photos: QueuedPhoto[] = blobs.map((b, i) => ({ id: `${q.key}.${i}`, bytes: b.size, type: b.type || "image/jpeg" }));
        for (const p of photos) adding.add(p.id);
        try {
          for (const [i, p] of photos.entries()) await deps.blobs.put(p.id, blobs[i]!);
          get().add({ ...q, photos });
        } catch (e) {
          for (const p of photos) void deps.blobs.delete(p.id).catch(() => undefined);
          throw e;
        } finally {
          for (const p of photos) adding.delete(p.id);
        }
      },
      discard(key) {
        const gone = get().items.find((i) => i.key === key);
        save(get().items.filter((i) => i.key !== key));
        dropBlobs(gone);
      },
      async flush() {
        if (get().sending) {
          again = true; // picked up by the run under way once it has been through the list
          return;
        }
        set({ sending: true });
        try {
          do {
            again = false;
            for (const { key } of get().items) {
              const item = get().items.find((i) => i.key === key);
              if (!item || item.error) continue;
              try {
                const body = item.photos?.length ? await uploadPhotos(item) : item.body;
                await deps.send(item.path, body, item.key);
                const done = get().items.find((i) => i.key === key);
                save(get().items.filter((i) => i.key !== key));
                dropBlobs(done);
                set((s) => ({ sent: s.sent + 1 }));
              } catch (e) {
                if (later(e)) {
                  if (!(e instanceof NetworkError)) update(key, (q) => ({ ...q, retry: describe(e) }));
                  return; // offline or the server says not now: the next flush tries again
                }
                update(key, (q) => ({ ...q, error: describe(e), retry: undefined }));
              }
            }
          } while (again);
        } finally {
          set({ sending: false, progress: undefined });
        }
      },
      async sweep() {
        const named = new Set(get().items.flatMap((i) => (i.photos ?? []).map((p) => p.id)));
        for (const id of await deps.blobs.keys()) {
          if (!named.has(id) && !adding.has(id)) await deps.blobs.delete(id);
        }
      },
    };
  });
}

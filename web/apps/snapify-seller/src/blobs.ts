// Where the offline queue keeps the resized photos of a product added without a network: in
// IndexedDB on the phone (localStorage holds only strings, and a few hundred kilobytes a photo
// would fill it), so they survive a reload or the app being closed. The queue works against the
// BlobStore interface, so its rules are tested with the in-memory store below.

export interface BlobStore {
  put(id: string, blob: Blob): Promise<void>;
  /** The blob, or undefined when none is kept under id. */
  get(id: string): Promise<Blob | undefined>;
  delete(id: string): Promise<void>;
  /** Every id kept, to sweep photos no queued item names any more. */
  keys(): Promise<string[]>;
}

/** A BlobStore in memory: for tests, and nothing else (it does not survive a reload). */
export function memoryBlobs(): BlobStore & { size(): number } {
  const m = new Map<string, Blob>();
  return {
    put: (id, blob) => {
      m.set(id, blob);
      return Promise.resolve();
    },
    get: (id) => Promise.resolve(m.get(id)),
    delete: (id) => {
      m.delete(id);
      return Promise.resolve();
    },
    keys: () => Promise.resolve([...m.keys()]),
    size: () => m.size,
  };
}

const DB_NAME = "snapify-seller";
const STORE = "photos";

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error("IndexedDB request failed"));
  });
}

/**
 * The BlobStore in IndexedDB (database "snapify-seller", object store "photos"). When the
 * browser has no IndexedDB (some private modes), every call fails with an error that says so,
 * and the app tells the seller the photo cannot be kept offline.
 */
export function idbBlobs(name = DB_NAME): BlobStore {
  let opened: Promise<IDBDatabase> | undefined;
  const db = () => {
    opened ??= new Promise<IDBDatabase>((resolve, reject) => {
      if (typeof indexedDB === "undefined") {
        reject(new Error("This browser cannot keep photos on the phone (no IndexedDB)."));
        return;
      }
      const r = indexedDB.open(name, 1);
      r.onupgradeneeded = () => {
        if (!r.result.objectStoreNames.contains(STORE)) r.result.createObjectStore(STORE);
      };
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error ?? new Error("IndexedDB could not be opened"));
      r.onblocked = () => reject(new Error("IndexedDB is held by an older tab of the app; close it and try again"));
    });
    // A failed open is tried again on the next call rather than remembered for ever.
    opened.catch(() => (opened = undefined));
    return opened;
  };
  const tx = async <T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
    const t = (await db()).transaction(STORE, mode);
    const done = new Promise<void>((resolve, reject) => {
      t.oncomplete = () => resolve();
      t.onerror = () => reject(t.error ?? new Error("IndexedDB transaction failed"));
      t.onabort = () => reject(t.error ?? new Error("IndexedDB transaction aborted (storage full?)"));
    });
    const [result] = await Promise.all([request(fn(t.objectStore(STORE))), done]);
    return result;
  };
  return {
    async put(id, blob) {
      await tx("readwrite", (s) => s.put(blob, id));
    },
    async get(id) {
      const v = await tx("readonly", (s) => s.get(id) as IDBRequest<Blob | undefined>);
      return v ?? undefined;
    },
    async delete(id) {
      await tx("readwrite", (s) => s.delete(id));
    },
    async keys() {
      const ks = await tx("readonly", (s) => s.getAllKeys());
      return ks.map(String);
    },
  };
}

import { describe, expect, it } from "vitest";
import { ApiError, NetworkError } from "@alorig/ui";
import { memoryBlobs } from "./blobs";
import { createQueue, type KV, type Queued } from "./queue";
import type { Picture, Uploaded } from "./types";

/** A localStorage of its own, which survives a "reload" (a new queue over the same KV). */
function memoryKV(): KV & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

/** A blob's text (jsdom's Blob has no text()). */
function textOf(b: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(r.error ?? new Error("unreadable"));
    r.readAsText(b);
  });
}

function picture(hash: string): Picture {
  return { prefix: "snapify/s/1", hash, ext: "jpg", width: 800, height: 600, widths: [160, 480] } as Picture;
}

/**
 * A scripted server: products and pictures it has made, how often each was asked, and what the
 * network does to the next calls ("down": never reaches it; "lost": reaches it, the answer is
 * lost). Pictures are content-addressed, as on the real server: the same bytes are one picture.
 */
function server() {
  const products = new Map<string, unknown>(); // by Idempotency-Key, as the server keeps them
  const pictures = new Map<string, Picture>();
  const calls = { upload: 0, send: 0 };
  const plan: ("ok" | "down" | "lost" | "refuse" | "busy")[] = [];
  const next = () => plan.shift() ?? "ok";
  return {
    products, pictures, calls, plan,
    async upload(_store: string, blob: Blob, onProgress: (f: number) => void): Promise<Uploaded> {
      calls.upload++;
      const what = next();
      if (what === "down") throw new NetworkError(new Error("offline"));
      const text = await textOf(blob);
      if (what === "refuse") throw new ApiError(422, { code: "IMAGE_TYPE", detail: "not a picture" });
      onProgress(0.5);
      onProgress(1);
      const pic = pictures.get(text) ?? picture(text.padEnd(16, "0").slice(0, 16));
      pictures.set(text, pic);
      if (what === "lost") throw new NetworkError(new Error("answer lost"));
      return { picture: pic } as Uploaded;
    },
    send(_path: string, body: unknown, key: string): Promise<unknown> {
      calls.send++;
      const what = next();
      if (what === "down") return Promise.reject(new NetworkError(new Error("offline")));
      if (what === "busy") return Promise.reject(new ApiError(503, { code: "UNAVAILABLE", detail: "restarting" }));
      if (what === "refuse") return Promise.reject(new ApiError(409, { code: "PRODUCT_LIMIT", detail: "the Free plan holds 15 products" }));
      if (!products.has(key)) products.set(key, body);
      if (what === "lost") return Promise.reject(new NetworkError(new Error("answer lost")));
      return Promise.resolve(products.get(key));
    },
  };
}

function setup(kv = memoryKV(), blobs = memoryBlobs(), srv = server()) {
  const q = createQueue({ kv, kvKey: "q", blobs, send: srv.send, upload: srv.upload });
  return { q, kv, blobs, srv };
}

const product = (key: string): Omit<Queued, "photos"> => ({
  key, kind: "product", store: "clay", path: "/stores/clay/products", label: "Clay vase", queuedAt: 1,
  body: { title: "Clay vase", price_paisa: 250000, images: [picture("aaaaaaaaaaaaaaaa")] },
});

describe("the offline queue with photos", () => {
  it("keeps the photos, uploads them when the network returns, then creates the product once with them", async () => {
    const { q, blobs, srv } = setup();
    srv.plan.push("down"); // the first try finds no network
    await q.getState().addWithPhotos(product("k1"), [new Blob(["photo-one"], { type: "image/jpeg" }), new Blob(["photo-two"])]);
    expect(q.getState().items[0]!.photos).toEqual([
      { id: "k1.0", bytes: 9, type: "image/jpeg" },
      { id: "k1.1", bytes: 9, type: "image/jpeg" },
    ]);
    expect(blobs.size()).toBe(2);

    await q.getState().flush();
    expect(srv.products.size).toBe(0);
    expect(q.getState().items).toHaveLength(1);

    await q.getState().flush();
    expect(q.getState().items).toHaveLength(0);
    expect(srv.products.size).toBe(1);
    const made = [...srv.products.values()][0] as { images: Picture[] };
    expect(made.images.map((p) => p.hash)).toEqual(["aaaaaaaaaaaaaaaa", "photo-one0000000", "photo-two0000000"]);
    expect(srv.calls.upload).toBe(3); // one that found no network, then each photo once
    expect(blobs.size()).toBe(0); // the photos leave the phone once the product is made
    expect(q.getState().sent).toBe(1);
    expect(q.getState().progress).toBeUndefined();
  });

  it("never uploads a photo again once the server answered it, and never makes the product twice", async () => {
    const { q, srv } = setup();
    await q.getState().addWithPhotos(product("k2"), [new Blob(["one"]), new Blob(["two"])]);
    // Photo one goes up; photo two's network fails; next run: the product's answer is lost.
    srv.plan.push("ok", "down");
    await q.getState().flush();
    expect(q.getState().items[0]!.photos!.map((p) => !!p.picture)).toEqual([true, false]);
    srv.plan.push("ok", "lost");
    await q.getState().flush();
    expect(srv.products.size).toBe(1);
    expect(q.getState().items).toHaveLength(1); // the answer never came: still queued
    await q.getState().flush();
    expect(q.getState().items).toHaveLength(0);
    expect(srv.products.size).toBe(1); // the replay carried the same Idempotency-Key
    expect(srv.calls.upload).toBe(3); // one, two (no network), two
    expect(srv.calls.send).toBe(2);
  });

  it("uploads again only a photo whose answer was lost, which makes the same picture", async () => {
    const { q, srv } = setup();
    await q.getState().addWithPhotos(product("k3"), [new Blob(["lost-answer"])]);
    srv.plan.push("lost");
    await q.getState().flush();
    expect(srv.pictures.size).toBe(1);
    await q.getState().flush();
    expect(srv.calls.upload).toBe(2);
    expect(srv.pictures.size).toBe(1);
    const made = [...srv.products.values()][0] as { images: Picture[] };
    expect(made.images).toHaveLength(2);
  });

  it("survives a reload: the queue and its photos are read back and sent, uploaded photos not again", async () => {
    const kv = memoryKV();
    const blobs = memoryBlobs();
    const srv = server();
    const first = setup(kv, blobs, srv).q;
    await first.getState().addWithPhotos(product("k4"), [new Blob(["a"]), new Blob(["b"])]);
    srv.plan.push("ok", "down");
    await first.getState().flush();

    const after = setup(kv, blobs, srv).q; // the app opened again
    expect(after.getState().items.map((i) => i.key)).toEqual(["k4"]);
    expect(after.getState().items[0]!.photos![0]!.picture).toBeDefined();
    await after.getState().flush();
    expect(after.getState().items).toHaveLength(0);
    expect(srv.calls.upload).toBe(3);
    expect(srv.products.size).toBe(1);
    expect(JSON.parse(kv.getItem("q")!)).toEqual([]);
  });

  it("shows the upload's progress while it runs", async () => {
    const kv = memoryKV();
    const blobs = memoryBlobs();
    const seen: { photo: number; photos: number; fraction: number }[] = [];
    const srv = server();
    const q = createQueue({ kv, kvKey: "q", blobs, send: srv.send, upload: srv.upload });
    q.subscribe((s) => {
      if (s.progress) seen.push({ photo: s.progress.photo, photos: s.progress.photos, fraction: s.progress.fraction });
    });
    await q.getState().addWithPhotos(product("k5"), [new Blob(["x"]), new Blob(["y"])]);
    await q.getState().flush();
    expect(seen).toContainEqual({ photo: 1, photos: 2, fraction: 0.5 });
    expect(seen).toContainEqual({ photo: 2, photos: 2, fraction: 1 });
    expect(q.getState().progress).toBeUndefined();
  });

  it("shows a refused photo with the server's reason and keeps it until discarded; discarding drops the photos", async () => {
    const { q, srv, blobs } = setup();
    await q.getState().addWithPhotos(product("k6"), [new Blob(["not-a-picture"])]);
    srv.plan.push("refuse");
    await q.getState().flush();
    expect(q.getState().items[0]!.error).toEqual({ status: 422, code: "IMAGE_TYPE", detail: "not a picture" });
    await q.getState().flush(); // a refused item is not tried again by itself
    expect(srv.calls.upload).toBe(1);
    q.getState().discard("k6");
    await Promise.resolve();
    expect(q.getState().items).toHaveLength(0);
    expect(blobs.size()).toBe(0);
    expect(srv.products.size).toBe(0);
  });

  it("puts off a 503 with its reason, without calling it a refusal", async () => {
    const { q, srv } = setup();
    await q.getState().addWithPhotos(product("k7"), [new Blob(["p"])]);
    srv.plan.push("ok", "busy");
    await q.getState().flush();
    const item = q.getState().items[0]!;
    expect(item.error).toBeUndefined();
    expect(item.retry).toMatchObject({ status: 503, code: "UNAVAILABLE" });
    await q.getState().flush();
    expect(q.getState().items).toHaveLength(0);
    expect(srv.calls.upload).toBe(1);
  });

  it("names a photo the browser's storage lost instead of making the product without it", async () => {
    const { q, srv, blobs } = setup();
    await q.getState().addWithPhotos(product("k8"), [new Blob(["gone"])]);
    await blobs.delete("k8.0");
    await q.getState().flush();
    expect(q.getState().items[0]!.error?.code).toBe("PHOTO_LOST");
    expect(srv.calls.send).toBe(0);
  });

  it("queues nothing when the phone cannot keep the photos", async () => {
    const blobs = memoryBlobs();
    blobs.put = () => Promise.reject(new Error("QuotaExceededError"));
    const { q } = setup(memoryKV(), blobs);
    await expect(q.getState().addWithPhotos(product("k9"), [new Blob(["p"])])).rejects.toThrow("QuotaExceededError");
    expect(q.getState().items).toHaveLength(0);
  });

  it("sweeps photos no queued item names", async () => {
    const { q, blobs } = setup();
    await blobs.put("old.0", new Blob(["left behind"]));
    await q.getState().addWithPhotos(product("k10"), [new Blob(["kept"])]);
    await q.getState().sweep();
    expect((await blobs.keys()).sort()).toEqual(["k10.0"]);
  });

  it("sends an item queued while a flush runs in that same flush", async () => {
    const srv = server();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const q = createQueue({ kv: memoryKV(), kvKey: "q", blobs: memoryBlobs(), upload: srv.upload,
      send: async (path, body, key) => {
        await gate;
        return srv.send(path, body, key);
      } });
    q.getState().add({ ...product("s1"), kind: "status" });
    const running = q.getState().flush();
    await q.getState().addWithPhotos(product("s2"), [new Blob(["late"])]);
    void q.getState().flush(); // returns at once: the run under way takes the new item
    release();
    await running;
    expect(q.getState().items).toHaveLength(0);
    expect(srv.products.size).toBe(2);
  });
});

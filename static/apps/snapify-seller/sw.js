/* global self, caches */
// Snapify seller app's service worker (served from /sw.js with no-cache, so a new deployment
// is picked up on the next visit). It keeps what the app needs to open offline:
//   - the HTML shell ("/") and the hashed files it loads (read from the shell at install),
//     answered from the cache when the network fails; navigations go to the network first so
//     a new deployment is seen at once;
//   - /assets/* (immutable, content-hashed): cache first;
//   - product photos under /media/*: cache first, the newest 200 kept.
// API answers are not served from here: the app keeps the last answer of each screen itself
// and says when it shows them, and its offline queue sends changes with Idempotency-Keys.
const SHELL = "snapify-seller-shell-v1";
const MEDIA = "snapify-seller-media-v1";

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(SHELL);
    const res = await fetch("/", { cache: "no-cache" });
    if (!res.ok) return;
    const html = await res.clone().text();
    await cache.put("/", res);
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
    await cache.addAll([...new Set([...assets, "/manifest.webmanifest", "/icon.svg", "/icon-192.png"])]);
  })().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== SHELL && key !== MEDIA) await caches.delete(key);
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/") || url.pathname.startsWith("/preview/")) return;

  if (req.mode === "navigate") {
    event.respondWith((async () => {
      try {
        const res = await fetch(req);
        if (res.ok) (await caches.open(SHELL)).put("/", res.clone());
        return res;
      } catch (e) {
        const hit = await caches.match("/");
        if (hit) return hit;
        throw e;
      }
    })());
    return;
  }
  if (url.pathname.startsWith("/assets/") || url.pathname.startsWith("/media/") || /^\/[^/]+\.(png|svg|webmanifest)$/.test(url.pathname)) {
    const name = url.pathname.startsWith("/media/") ? MEDIA : SHELL;
    event.respondWith((async () => {
      const cache = await caches.open(name);
      const hit = await cache.match(req);
      if (hit) return hit;
      const res = await fetch(req);
      if (res.ok) {
        await cache.put(req, res.clone());
        if (name === MEDIA) {
          const keys = await cache.keys();
          for (const k of keys.slice(0, Math.max(0, keys.length - 200))) await cache.delete(k);
        }
      }
      return res;
    })());
  }
});

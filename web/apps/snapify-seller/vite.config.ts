import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import tailwindcss from "@tailwindcss/vite";
import { fileURLToPath } from "node:url";

// Built into static/apps/snapify-seller (embedded by the Go binary, served at / on Snapify's
// app. host). `npm run dev` proxies the API to a running alorig
// (ALORIG_DEV_TARGET, default http://127.0.0.1:8080) with that host, so cookies and CSRF work
// as in production.
const target = process.env.ALORIG_DEV_TARGET ?? "http://127.0.0.1:8080";
const proxy = { target, changeOrigin: false, headers: { Host: "app.snapify.localhost:8080" } };

export default defineConfig({
  base: "/",
  plugins: [react(), tailwindcss()],
  build: {
    outDir: fileURLToPath(new URL("../../../static/apps/snapify-seller", import.meta.url)),
    emptyOutDir: true,
    assetsDir: "assets",
    sourcemap: false,
  },
  server: {
    port: 5174,
    proxy: { "/api": proxy, "/media": proxy },
  },
});

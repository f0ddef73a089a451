import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import tailwindcss from "@tailwindcss/vite";
import { fileURLToPath } from "node:url";

// Built into static/apps/psydge (embedded by the Go binary, served at /app/ on Psydge's hosts).
// `npm run dev` proxies the API and the live channel to a running alorig (ALORIG_DEV_TARGET,
// default http://127.0.0.1:8080) with the psydge.localhost host, so cookies and CSRF work as in
// production.
const target = process.env.ALORIG_DEV_TARGET ?? "http://127.0.0.1:8080";
const proxy = { target, changeOrigin: false, headers: { Host: "psydge.localhost:8080" } };

export default defineConfig({
  base: "/app/",
  plugins: [react(), tailwindcss()],
  build: {
    outDir: fileURLToPath(new URL("../../../static/apps/psydge", import.meta.url)),
    emptyOutDir: true,
    assetsDir: "assets",
    sourcemap: false,
    // The chart library is its own chunk, loaded when a chart is first shown.
    chunkSizeWarningLimit: 400,
  },
  server: {
    port: 5173,
    proxy: { "/api": proxy, "/ws": { ...proxy, ws: true } },
  },
});

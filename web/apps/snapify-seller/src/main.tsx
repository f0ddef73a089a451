import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { applyLocale, applyTheme, useLocale, useTheme } from "@alorig/ui";
import "./styles.css";
import { App } from "./App";

applyLocale(useLocale.getState().locale);
applyTheme(useTheme.getState().theme);

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// The service worker (public/sw.js) keeps the shell and assets for opening offline.
if ("serviceWorker" in navigator && import.meta.env.PROD) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js").catch((e: unknown) => console.warn("service worker not registered", e));
  });
}

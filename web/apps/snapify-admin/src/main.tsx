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

export * from "./api";
export * from "./auth";
export * from "./components";
export * from "./i18n";
export * from "./live";
export * from "./money";
export * from "./problem";
export { SignIn } from "./SignIn";
export * from "./router";

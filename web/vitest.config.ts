import { defineConfig } from "vitest/config";

// Unit and component tests of every package, in jsdom. Browser journeys live in e2e/.
export default defineConfig({
  test: {
    environment: "jsdom",
    include: ["packages/*/src/**/*.test.{ts,tsx}", "apps/*/src/**/*.test.{ts,tsx}"],
  },
});

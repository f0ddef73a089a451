import type { Catalog } from "@alorig/ui";

export const reviewMessages: Partial<Catalog> = { en: {}, ur: {} };

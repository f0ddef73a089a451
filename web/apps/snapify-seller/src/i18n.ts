// The seller app's translator: the shared catalog plus the app's own (messages.ts).
import { Fragment, createElement, type ReactNode } from "react";
import { makeTranslator, sharedMessages } from "@alorig/ui";
import { sellerMessages } from "./messages";

export const { t, useT } = makeTranslator(sharedMessages, sellerMessages);

/**
 * Fills a translated template's {slots} with elements (a figure in <bdi>, a <strong>), where
 * useT would turn them into text. The template comes from t(key) with no variables, which leaves
 * the slots in place.
 */
export function fill(template: string, vars: Record<string, ReactNode>): ReactNode {
  const parts = template.split(/\{(\w+)\}/);
  return createElement(Fragment, null, ...parts.map((p, i) => (i % 2 === 1 ? createElement(Fragment, { key: i }, p in vars ? vars[p] : `{${p}}`) : p)));
}

import { afterEach, describe, expect, it } from "vitest";
import { act, cleanup, render, screen, within } from "@testing-library/react";
import { useLocale } from "@alorig/ui";
import { sellerMessages } from "../messages";
import { PerDay } from "./Analytics";

afterEach(() => {
  cleanup();
  act(() => useLocale.getState().setLocale("en"));
});

const days = [
  { date: "2026-03-10", views: 1, visitors: 1, orders: 1, revenue_paisa: 250000, conversion: 1 },
  { date: "2026-03-11", views: 3, visitors: 2, orders: 1, revenue_paisa: 250000, conversion: 0.5 },
];

describe("the analytics by day", () => {
  it("draws charts hidden from screen readers and gives them a table of every day instead", () => {
    const { container } = render(<PerDay days={days} />);
    const svgs = container.querySelectorAll("svg");
    expect(svgs).toHaveLength(3);
    for (const s of svgs) expect(s.getAttribute("aria-hidden")).toBe("true");
    // Views and orders are bars, one a day; conversion is a line through the days.
    expect(svgs[0]!.querySelectorAll("rect")).toHaveLength(2);
    expect(svgs[2]!.querySelector("polyline")!.getAttribute("points")!.split(" ")).toHaveLength(2);
    const table = screen.getByRole("table", { name: "Per day" });
    const rows = within(table).getAllByRole("row");
    expect(rows.map((r) => r.textContent!.replace(/\s/g, " "))).toEqual([
      "DateViewsVisitorsOrdersSalesConversion",
      "10 Mar111PKR 2,500.00100.0%",
      "11 Mar321PKR 2,500.0050.0%",
    ]);
    // The table is hidden by a wrapper, never by sr-only on the table (a table outgrows it).
    expect(table.className).toBe("");
    expect(table.parentElement!.className).toBe("sr-only");
  });

  it("speaks Urdu with the figures isolated and in Latin digits", () => {
    act(() => useLocale.getState().setLocale("ur"));
    render(<PerDay days={days} />);
    const table = screen.getByRole("table", { name: "روزانہ" });
    const cells = within(table).getAllByRole("cell");
    expect(cells[0]!.querySelector("bdi")!.textContent).toBe("1");
    expect(within(table).getAllByRole("rowheader")[1]!.textContent).toMatch(/11/);
  });
});

describe("the catalog", () => {
  it("has every English message in Urdu, with the same slots", () => {
    const slots = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [k, en] of Object.entries(sellerMessages.en!)) {
      const ur = sellerMessages.ur![k];
      expect(ur, k).toBeTruthy();
      expect(slots(ur!), k).toEqual(slots(en));
    }
    expect(Object.keys(sellerMessages.ur!).sort()).toEqual(Object.keys(sellerMessages.en!).sort());
  });
});

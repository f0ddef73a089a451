import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { useLive } from "../live/store";
import { useSelection } from "./selection";
import { Watchlist } from "./Watchlist";

afterEach(() => {
  cleanup();
  useLive.getState().reset();
});

const iso = (ms: number) => new Date(ms).toISOString();

function row(symbol: string) {
  return screen.getByRole("button", { name: symbol }).closest("tr")!;
}

describe("Watchlist", () => {
  it("marks a quote older than 5 s by the server's clock as Stale, not by the browser's", () => {
    const now = Date.now();
    useLive.setState({
      whitelist: ["EURUSD", "XAUUSD", "US30"],
      // The server's clock runs 10 s ahead of this browser's.
      clockOffsetMs: 10_000,
      prices: {
        EURUSD: { symbol: "EURUSD", bid: 1.08524, ask: 1.08532, time: iso(now + 8_000), receivedAt: 0 },
        XAUUSD: { symbol: "XAUUSD", bid: 2650.28, ask: 2650.53, time: iso(now), receivedAt: 0 },
      },
    });
    render(<Watchlist />);
    const table = screen.getByRole("table", { name: "Watchlist" });
    expect(within(table).getAllByRole("row")).toHaveLength(4);

    expect(within(row("EURUSD")).queryByText("Stale")).toBeNull();
    expect(within(row("EURUSD")).getByText("1.08524")).toBeTruthy();
    expect(within(row("EURUSD")).getByText("8")).toBeTruthy();
    // Fresh by the browser's clock, 10 s old by the server's.
    expect(within(row("XAUUSD")).getByRole("cell", { name: "Stale" })).toBeTruthy();
    expect(within(row("US30")).getByText("No quote")).toBeTruthy();
  });

  it("selects a symbol for the chart and the ticket", () => {
    useLive.setState({ whitelist: ["EURUSD", "XAUUSD"] });
    useSelection.setState({ symbol: "EURUSD" });
    render(<Watchlist />);
    fireEvent.click(screen.getByRole("button", { name: "XAUUSD" }));
    expect(useSelection.getState().symbol).toBe("XAUUSD");
    expect(screen.getByRole("button", { name: "XAUUSD" }).getAttribute("aria-pressed")).toBe("true");
  });
});

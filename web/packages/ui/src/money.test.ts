import { describe, expect, it } from "vitest";
import { formatMoney, minorDigits, parseMoney } from "./money";

describe("money in minor units", () => {
  it("knows each currency's minor digits", () => {
    expect(minorDigits("USD")).toBe(2);
    expect(minorDigits("JPY")).toBe(0);
    expect(minorDigits("KWD")).toBe(3);
    expect(minorDigits("PKR")).toBe(2);
  });
  it("formats without binary rounding", () => {
    expect(formatMoney(12345, "USD", "en-US")).toBe("$123.45");
    expect(formatMoney(-5, "USD", "en-US")).toBe("-$0.05");
    expect(formatMoney(1005, "JPY", "en-US")).toBe("¥1,005");
    expect(formatMoney(1234567, "KWD", "en-US").replace(/\s/g, " ")).toBe("KWD 1,234.567");
    expect(formatMoney(150050, "PKR", "en-US").replace(/\s/g, " ")).toBe("PKR 1,500.50");
    // 2^53 + 1 cents is not a double; as a bigint it keeps its last digit.
    expect(formatMoney(9007199254740993n, "USD", "en-US")).toBe("$90,071,992,547,409.93");
    expect(formatMoney(250, "USD", "en-US", { signed: true })).toBe("+$2.50");
  });
  it("parses what a person types, refusing too many decimals", () => {
    expect(parseMoney("123.45", "USD")).toBe(12345);
    expect(parseMoney("0,5", "USD")).toBe(50);
    expect(parseMoney("-2", "USD")).toBe(-200);
    expect(parseMoney("1.234", "USD")).toBeUndefined();
    expect(parseMoney("abc", "USD")).toBeUndefined();
    expect(parseMoney("12", "JPY")).toBe(12);
  });
});

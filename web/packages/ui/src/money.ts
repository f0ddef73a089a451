// Money is integer minor units everywhere (cents, paisa); only the display divides. The number
// of minor digits is ISO 4217's exponent, which the server uses too; it is not Intl's, because
// CLDR gives some currencies (PKR among them) fewer display digits than their minor unit has.

const EXPONENT: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0,
  VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

/** The number of minor-unit digits of an ISO 4217 currency (2 unless ISO says otherwise). */
export function minorDigits(currency: string): number {
  return EXPONENT[currency.toUpperCase()] ?? 2;
}

/**
 * Formats an amount held in minor units, e.g. formatMoney(-12345, "USD") → "-$123.45".
 * The integer is split into units and minor units as text, so no binary fraction is rounded.
 */
export function formatMoney(minor: number | bigint, currency: string, locale?: string, opts: { signed?: boolean } = {}): string {
  const digits = minorDigits(currency);
  const big = BigInt(minor);
  const neg = big < 0n;
  const abs = neg ? -big : big;
  const scale = 10n ** BigInt(digits);
  const units = abs / scale;
  const frac = (abs % scale).toString().padStart(digits, "0");
  // Intl formats a decimal string exactly (ES2023 string input), keeping every digit.
  const decimal = `${neg ? "-" : ""}${units}${digits ? "." + frac : ""}`;
  const fmt = new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    signDisplay: opts.signed ? "exceptZero" : "auto",
  });
  return fmt.format(decimal as unknown as number);
}

/** Parses "123.45" typed by a person into minor units, or undefined when it is not an amount. */
export function parseMoney(text: string, currency: string): number | undefined {
  const digits = minorDigits(currency);
  const m = /^\s*(-)?(\d+)(?:[.,](\d*))?\s*$/.exec(text);
  if (!m) return undefined;
  const frac = m[3] ?? "";
  if (frac.length > digits) return undefined;
  const minor = Number(m[2]) * 10 ** digits + Number(frac.padEnd(digits, "0") || "0");
  if (!Number.isSafeInteger(minor)) return undefined;
  return m[1] ? -minor : minor;
}

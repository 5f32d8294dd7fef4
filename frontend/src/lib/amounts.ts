// Money and land areas without floating point: 元 typed by a user become integer fen by string
// arithmetic ("12.34" → 1234), fen are shown as 元 with two decimals, and 亩 stay decimal strings
// (the API takes and returns them exactly, one decimal at most).

/** The largest amount the API accepts: 10 billion 元 (10¹² fen, far below 2⁵³). */
export const MAX_YUAN_DIGITS = 11;

const YUAN = /^(\d{1,11})(?:\.(\d{1,2}))?$/;
const MU = /^(\d{1,9})(?:\.(\d))?$/;

/** `"12.34"` → 1234, `"12"` → 1200, `"0.5"` → 50; `null` for anything else (signs, 3 decimals, exponents). */
export function yuanToFen(raw: string | null | undefined): number | null {
  const match = YUAN.exec((raw ?? "").trim());
  if (!match) return null;
  const whole = match[1] ?? "0";
  const cents = (match[2] ?? "").padEnd(2, "0");
  // A string of at most 13 digits parses to the exact integer.
  const fen = Number(whole + cents);
  return fen <= 1_000_000_000_000 ? fen : null;
}

/**
 * 元 as people type them → integer fen, or `null`: full-width digits and points (`"１２．５"`, a
 * Chinese input method) read as ASCII, digit grouping (`"1,234.50"`, `"1，234"`) is accepted
 * where the groups are of three, then `yuanToFen`'s rules (no sign, no exponent, at most two
 * decimals: `"1.005"` is refused, never rounded).
 */
export function parseYuan(raw: string | null | undefined): number | null {
  const text = (raw ?? "").normalize("NFKC").trim().replace(/\s+/g, "");
  const grouped = /^\d{1,3}(?:,\d{3})+(?:\.\d*)?$/.test(text);
  if (text.includes(",") && !grouped) return null;
  return yuanToFen(text.replaceAll(",", ""));
}

/** 1234 → `"12.34"`, 5 → `"0.05"`, 1200 → `"12.00"` (integer arithmetic only). */
export function fenToYuan(fen: number): string {
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(Math.trunc(fen));
  const whole = Math.floor(abs / 100);
  const cents = abs % 100;
  return `${sign}${whole}.${String(cents).padStart(2, "0")}`;
}

/** Is this a number of 亩 with at most one decimal, as the API accepts it? */
export function isMu(raw: string | null | undefined): boolean {
  return MU.test((raw ?? "").trim());
}

/** Whole tenths of a 亩 → `"18600.5"` / `"300"` (as the API writes areas). */
export function tenthsToMu(tenths: number): string {
  const whole = Math.floor(tenths / 10);
  const tenth = tenths % 10;
  return tenth === 0 ? String(whole) : `${whole}.${tenth}`;
}

function grouping(locale: string) {
  return new Intl.NumberFormat(locale.startsWith("en") ? "en" : "zh-CN", { maximumFractionDigits: 0 });
}

/** A count with the locale's digit grouping: 12345 → `"12,345"`. */
export function formatCount(n: number, locale = "zh-CN"): string {
  return grouping(locale).format(n);
}

/** Fen as 元 with two decimals and grouping: 1234567 → `"12,345.67"`. */
export function formatYuan(fen: number, locale = "zh-CN"): string {
  const [whole = "0", cents = "00"] = fenToYuan(fen).split(".");
  const negative = whole.startsWith("-");
  const digits = negative ? whole.slice(1) : whole;
  return `${negative ? "-" : ""}${grouping(locale).format(Number(digits))}.${cents}`;
}

/** A decimal string of 亩 with grouping: `"186000.5"` → `"186,000.5"`. */
export function formatMu(mu: string, locale = "zh-CN"): string {
  const [whole = "0", tenth] = mu.split(".");
  const grouped = /^\d+$/.test(whole) ? grouping(locale).format(Number(whole)) : whole;
  return tenth === undefined ? grouped : `${grouped}.${tenth}`;
}

// Everything is shown in Beijing time, whatever the browser's zone: the villages, the department
// and its staff all live in UTC+8.
export const DISPLAY_TIME_ZONE = "Asia/Shanghai";

function localeTag(lang: string): string {
  return lang.startsWith("en") ? "en-GB" : "zh-CN";
}

/** An RFC 3339 instant (`2026-01-02T03:04:05Z`) as date and time in Asia/Shanghai. */
export function formatDateTime(value: string | null | undefined, lang: string): string {
  if (!value) return "";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(localeTag(lang), {
    timeZone: DISPLAY_TIME_ZONE,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hour12: false,
  }).format(date);
}

/** A calendar date (`YYYY-MM-DD`) has no zone: show that same day, never shifted. */
export function formatDate(value: string | null | undefined, lang: string): string {
  if (!value) return "";
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return value;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return new Intl.DateTimeFormat(localeTag(lang), {
    timeZone: "UTC",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(date);
}

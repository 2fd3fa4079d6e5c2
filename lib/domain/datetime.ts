/**
 * The one way the portals write a date or a time: day, short month and year, 24-hour clock,
 * always in UTC and always named so ("7 Dec 2026, 03:42 UTC"). Written out by hand rather than
 * through Intl or toLocaleString: the server and the browser then render the same text whatever
 * their locale, time zone or ICU data, so hydration never disagrees, and an operator reading a
 * time in the portal, a log line or the API reads the same clock.
 */
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

export type DateInput = Date | string | number;

function toDate(value: DateInput): Date | null {
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

const two = (n: number) => String(n).padStart(2, "0");

/** "7 Dec 2026" (UTC). */
export function formatDate(value: DateInput): string {
  const d = toDate(value);
  if (!d) return "";
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "03:42 UTC", or "03:42:09 UTC" with seconds. */
export function formatTime(value: DateInput, { seconds = false }: { seconds?: boolean } = {}): string {
  const d = toDate(value);
  if (!d) return "";
  return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}${seconds ? `:${two(d.getUTCSeconds())}` : ""} UTC`;
}

/** "7 Dec 2026, 03:42 UTC", or "7 Dec 2026, 03:42:09 UTC" with seconds. */
export function formatDateTime(value: DateInput, options: { seconds?: boolean } = {}): string {
  const d = toDate(value);
  if (!d) return "";
  return `${formatDate(d)}, ${formatTime(d, options)}`;
}

/** The ISO form for a `<time dateTime>` attribute. */
export function isoOf(value: DateInput): string | undefined {
  return toDate(value)?.toISOString();
}

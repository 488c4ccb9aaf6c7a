/**
 * A role's `valid_until`: `infinity` (its password never stops being accepted), or a moment
 * written with its date, time and offset, so that it never depends on a server's TimeZone. Kept
 * as `infinity` or UTC ISO text with milliseconds (`2027-01-01T00:00:00.000Z`), which is how plan
 * reads PostgreSQL's rolvaliduntil too.
 */
export const validUntilForever = "infinity";

const moment = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}(?::?\d{2})?)$/;

/** The canonical text of a written `valid_until`, or why it is not one. */
export function parseValidUntil(text: string): string | { readonly error: string } {
  if (text.toLowerCase() === validUntilForever) return validUntilForever;
  const m = moment.exec(text);
  const invalid = { error: `valid_until '${text}' is not a moment rolec can read; write 'infinity' or a date and time with its offset, such as '2027-01-01T00:00:00Z' or '2027-01-01 09:30:00+02:00' (milliseconds at most)` };
  if (!m) return invalid;
  const [year, month, day, hour, minute, second = "0", fraction = "0", offset] = m.slice(1) as string[];
  const numbers = [year, month, day, hour, minute, second].map(Number) as [number, number, number, number, number, number];
  const local = Date.UTC(numbers[0], numbers[1] - 1, numbers[2], numbers[3], numbers[4], numbers[5], Number(fraction.padEnd(3, "0")));
  const check = new Date(local);
  // Date.UTC rolls 2027-02-30 over into March: a date that does not exist is refused, not moved.
  if (check.getUTCFullYear() !== numbers[0] || check.getUTCMonth() !== numbers[1] - 1 || check.getUTCDate() !== numbers[2] || numbers[3] > 23 || numbers[4] > 59 || numbers[5] > 59) return invalid;
  const sign = offset!.startsWith("-") ? -1 : 1;
  const [offsetHours = 0, offsetMinutes = 0] = offset === "Z" ? [] : offset!.slice(1).replace(":", "").match(/^(\d{2})(\d{2})?$/)!.slice(1).map((x) => Number(x ?? 0));
  if (offsetHours > 15 || offsetMinutes > 59) return invalid;
  return new Date(local - sign * (offsetHours * 60 + offsetMinutes) * 60_000).toISOString();
}

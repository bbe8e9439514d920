/**
 * How far to move a test clock: milliseconds, or an ISO 8601 duration such as `PT10M`, `P14D` or
 * `P1Y2M3DT4H5M6.5S`.
 */
export type TimeSpan = number | string;

const ISO_DURATION =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

/**
 * The milliseconds a span covers when it starts at `from` (epoch ms). Years and months are calendar
 * units (UTC), so `P1M` from 31 January is shorter than from 1 March, as it is for the engine's timers.
 * Throws a `RangeError` naming the text when it is neither a non-negative number nor an ISO 8601 duration.
 */
export function spanToMillis(span: TimeSpan, from: number): number {
  if (typeof span === 'number') {
    if (!Number.isFinite(span) || span < 0) {
      throw new RangeError(`Expected a non-negative number of milliseconds, but got ${span}`);
    }
    return span;
  }
  const text = span.trim();
  const match = ISO_DURATION.exec(text);
  // The pattern alone accepts "P" and "P1DT": a duration needs at least one part, and a T needs a time part.
  if (!match || text === 'P' || text.endsWith('T')) {
    throw new RangeError(
      `Expected an ISO 8601 duration such as 'PT10M' or 'P14D', or milliseconds, but got '${span}'`,
    );
  }
  const n = (i: number) => Number((match[i] ?? '0').replace(',', '.'));
  const exact = (((n(3) * 7 + n(4)) * 24 + n(5)) * 60 + n(6)) * 60_000 + Math.round(n(7) * 1000);
  const months = n(1) * 12 + n(2);
  if (months === 0) return exact;
  const date = new Date(from);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.getTime() - from + exact;
}

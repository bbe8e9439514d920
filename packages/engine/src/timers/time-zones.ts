/**
 * Time-zone offsets from the platform's time-zone database (Intl), for FEEL's `now()` and for date-times
 * with a region id (`2030-01-01T10:00:00@Europe/Berlin`, `…[Europe/Berlin]`). Offsets are a function of
 * the zone and the instant only, so they are deterministic given the zone.
 */

const formats = new Map<string, Intl.DateTimeFormat | undefined>();

function formatOf(zone: string): Intl.DateTimeFormat | undefined {
  if (!formats.has(zone)) {
    let format: Intl.DateTimeFormat | undefined;
    try {
      format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    } catch {
      format = undefined; // not a zone the platform knows
    }
    if (formats.size >= 1_000) formats.clear();
    formats.set(zone, format);
  }
  return formats.get(zone);
}

/** The zone's offset from UTC at an instant in ms, or undefined for a zone the platform does not know. */
export function zoneOffsetMillis(zone: string, epochMillis: number): number | undefined {
  const format = formatOf(zone);
  if (!format) return undefined;
  // Intl names the offset "GMT+05:30", "GMT-03:30" or, for UTC itself, "GMT".
  const name = format.formatToParts(new Date(epochMillis)).find((p) => p.type === 'timeZoneName')?.value;
  const match = /^GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(name ?? '');
  if (!match) return undefined;
  const [, sign, hours, minutes, seconds] = match;
  if (sign === undefined) return 0;
  const millis = ((Number(hours) * 60 + Number(minutes)) * 60 + Number(seconds ?? 0)) * 1000;
  return sign === '-' ? -millis : millis;
}

/**
 * The instant of a wall-clock time (given as if it were UTC, in ms) in a zone. In a gap (spring forward)
 * the time after the gap, in an overlap (fall back) the earlier instant, as java.time does.
 */
export function instantOfLocal(zone: string, localAsUtc: number): number | undefined {
  const before = zoneOffsetMillis(zone, localAsUtc - 86_400_000);
  const after = zoneOffsetMillis(zone, localAsUtc + 86_400_000);
  if (before === undefined || after === undefined) return undefined;
  // The earlier of the candidate offsets that map back to the same wall-clock time.
  for (const offset of before >= after ? [before, after] : [after, before]) {
    const instant = localAsUtc - offset;
    if (zoneOffsetMillis(zone, instant) === offset) return instant;
  }
  // A gap: no instant shows this wall-clock time; shift forward by the gap.
  return localAsUtc - before;
}

let system: string | undefined;

/** The time zone of the machine (the `TZ` environment or the OS setting), as feelin's `now()` uses it. */
export function systemTimeZone(): string {
  system ??= new Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  return system;
}

import { CronExpressionParser } from 'cron-parser';
import { instantOfLocal } from './time-zones.js';

/** An ISO 8601 duration split into calendar parts (years, months) and exact milliseconds. */
export interface Duration {
  readonly years: number;
  readonly months: number;
  readonly millis: number;
}

const DURATION =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

/** Parses `P14D`, `PT10M`, `P1Y2M3DT4H5M6.5S`; undefined when the text is not such a duration. */
export function parseDuration(text: string): Duration | undefined {
  const match = DURATION.exec(text.trim());
  if (!match || text.trim() === 'P' || text.trim().endsWith('T')) return undefined;
  const n = (i: number) => Number((match[i] ?? '0').replace(',', '.'));
  const millis = (((n(3) * 7 + n(4)) * 24 + n(5)) * 60 + n(6)) * 60_000 + Math.round(n(7) * 1000);
  return { years: n(1), months: n(2), millis };
}

/** Adds a duration to an instant, calendar-aware for years and months (UTC). */
export function addDuration(instant: number, duration: Duration): number {
  if (duration.years === 0 && duration.months === 0) return instant + duration.millis;
  const date = new Date(instant);
  date.setUTCMonth(date.getUTCMonth() + duration.years * 12 + duration.months);
  return date.getTime() + duration.millis;
}

const LOCAL_DATE_TIME = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?';
const ZONED_DATE_TIME = new RegExp(
  `^(${LOCAL_DATE_TIME})(?:(Z|[+-]\\d{2}:\\d{2})(?:\\[[^\\]]+\\])?|@(\\S+))$`,
);

/**
 * Parses an ISO 8601 date-time with a zone: an offset (`Z`, `+02:00`, also with a region as java.time
 * writes it, `+02:00[Europe/Berlin]`), or a region id as FEEL writes a zoned date and time
 * (`2030-01-01T10:00:00@Europe/Berlin`, e.g. `now()` on a machine outside UTC). Undefined otherwise.
 */
export function parseDateTime(text: string): number | undefined {
  const match = ZONED_DATE_TIME.exec(text.trim());
  if (!match) return undefined;
  const [, local, offset, zone] = match;
  if (offset !== undefined) {
    const value = Date.parse(`${local}${offset}`);
    return Number.isNaN(value) ? undefined : value;
  }
  const localAsUtc = Date.parse(`${local}Z`);
  if (Number.isNaN(localAsUtc)) return undefined;
  return instantOfLocal(zone!, localAsUtc);
}

/** A repeating schedule: `R3/PT10M`, `R/P1D`, `R2/2030-01-01T00:00:00Z/PT1H`, or a cron expression. */
export type Cycle =
  | {
      readonly kind: 'repeat';
      readonly repetitions: number;
      readonly interval: Duration;
      readonly start?: number;
    }
  | { readonly kind: 'cron'; readonly expression: string };

/** Parses a cycle; `repetitions` is -1 for an unbounded `R/…`. Undefined when it is neither form. */
export function parseCycle(text: string): Cycle | undefined {
  const trimmed = text.trim();
  const repeat = /^R(\d*)\/(.+)$/.exec(trimmed);
  if (repeat) {
    const repetitions = repeat[1] === '' ? -1 : Number(repeat[1]);
    const parts = repeat[2]!.split('/');
    if (parts.length === 1) {
      const interval = parseDuration(parts[0]!);
      return interval ? { kind: 'repeat', repetitions, interval } : undefined;
    }
    if (parts.length === 2) {
      const start = parseDateTime(parts[0]!);
      const interval = parseDuration(parts[1]!);
      return start !== undefined && interval ? { kind: 'repeat', repetitions, interval, start } : undefined;
    }
    return undefined;
  }
  try {
    CronExpressionParser.parse(trimmed, { tz: 'UTC' });
    return trimmed.split(/\s+/).length >= 5 ? { kind: 'cron', expression: trimmed } : undefined;
  } catch {
    return undefined;
  }
}

/** The first due date of a cycle after `now`. */
export function firstDueDate(cycle: Cycle, now: number): number {
  if (cycle.kind === 'cron') return nextCron(cycle.expression, now);
  if (cycle.start !== undefined && cycle.start > now) return cycle.start;
  return addDuration(now, cycle.interval);
}

/** The due date after `previous` in a cycle. */
export function nextDueDate(cycle: Cycle, previous: number): number {
  return cycle.kind === 'cron' ? nextCron(cycle.expression, previous) : addDuration(previous, cycle.interval);
}

function nextCron(expression: string, after: number): number {
  return CronExpressionParser.parse(expression, { currentDate: new Date(after), tz: 'UTC' })
    .next()
    .getTime();
}

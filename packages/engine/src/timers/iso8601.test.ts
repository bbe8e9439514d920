import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  addDuration,
  firstDueDate,
  nextDueDate,
  parseCycle,
  parseDateTime,
  parseDuration,
} from './iso8601.js';

const t0 = Date.UTC(2030, 0, 31, 12, 0, 0);

describe('ISO 8601 timers', () => {
  it('parses durations, calendar-aware for months', () => {
    assert.equal(addDuration(t0, parseDuration('PT10M')!), t0 + 600_000);
    assert.equal(addDuration(t0, parseDuration('P14D')!), t0 + 14 * 86_400_000);
    assert.equal(addDuration(t0, parseDuration('P1DT1.5S')!), t0 + 86_400_000 + 1_500);
    assert.equal(new Date(addDuration(Date.UTC(2030, 0, 15), parseDuration('P1M')!)).getUTCMonth(), 1);
    for (const bad of ['', 'P', 'PT', '10M', 'P1H', 'PT-1S', 'soon'])
      assert.equal(parseDuration(bad), undefined, bad);
  });

  it('parses zoned date-times only', () => {
    assert.equal(parseDateTime('2030-01-31T12:00:00Z'), t0);
    assert.equal(parseDateTime('2030-01-31T14:00:00+02:00'), t0);
    assert.equal(parseDateTime('2030-01-31T12:00:00'), undefined);
    assert.equal(parseDateTime('tomorrow'), undefined);
    // With a region: as java.time writes it, and as FEEL writes a zoned date and time (now() outside UTC).
    assert.equal(parseDateTime('2030-01-31T13:00:00+01:00[Europe/Berlin]'), t0);
    assert.equal(parseDateTime('2030-01-31T13:00:00@Europe/Berlin'), t0);
    assert.equal(parseDateTime('2030-07-31T14:00:00@Europe/Berlin'), Date.UTC(2030, 6, 31, 12));
    assert.equal(parseDateTime('2030-01-31T08:30:00@America/St_Johns'), t0);
    assert.equal(parseDateTime('2030-01-31T12:00:00@UTC'), t0);
    assert.equal(parseDateTime('2030-01-31T12:00:00@Nowhere/Atlantis'), undefined);
    // Daylight saving: a time in the spring gap moves forward, one in the autumn overlap is the earlier.
    assert.equal(parseDateTime('2030-03-31T02:30:00@Europe/Berlin'), Date.UTC(2030, 2, 31, 1, 30));
    assert.equal(parseDateTime('2030-10-27T02:30:00@Europe/Berlin'), Date.UTC(2030, 9, 27, 0, 30));
  });

  it('parses repeating and cron cycles', () => {
    const r3 = parseCycle('R3/PT10M');
    assert.ok(r3 && r3.kind === 'repeat' && r3.repetitions === 3);
    assert.equal(firstDueDate(r3, t0), t0 + 600_000);
    const unbounded = parseCycle('R/P1D');
    assert.ok(unbounded && unbounded.kind === 'repeat' && unbounded.repetitions === -1);
    const withStart = parseCycle('R2/2030-02-01T00:00:00Z/PT1H')!;
    assert.equal(firstDueDate(withStart, t0), Date.UTC(2030, 1, 1));
    const cron = parseCycle('0 0 9 * * MON-FRI')!;
    assert.equal(firstDueDate(cron, t0), Date.UTC(2030, 1, 1, 9)); // 2030-01-31 is a Thursday; 12:00 is past 9:00
    assert.equal(nextDueDate(cron, Date.UTC(2030, 1, 1, 9)), Date.UTC(2030, 1, 4, 9)); // Friday → Monday
    for (const bad of ['R3/soon', 'every day', 'R/2030-01-01T00:00:00Z'])
      assert.equal(parseCycle(bad), undefined, bad);
  });
});

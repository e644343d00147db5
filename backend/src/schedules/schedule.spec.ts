import { describe, expect, it } from 'vitest';
import {
  cronProblem,
  dueAction,
  lastOccurrence,
  nextActions,
  nextOccurrence,
  timeZoneProblem,
} from './schedule.js';

const at = (iso: string) => new Date(iso);
const iso = (date: Date | null) => date?.toISOString() ?? null;
const nights = { stop: '0 20 * * 1-5', start: '0 7 * * 1-5', timeZone: 'Europe/Berlin' };

describe('schedule times', () => {
  it('reads wall times in the time zone, in winter and in summer', () => {
    // Berlin is UTC+1 in January and UTC+2 in July.
    expect(iso(nextOccurrence('0 7 * * *', 'Europe/Berlin', at('2026-01-14T12:00:00Z')))).toBe(
      '2026-01-15T06:00:00.000Z',
    );
    expect(iso(nextOccurrence('0 7 * * *', 'Europe/Berlin', at('2026-07-14T12:00:00Z')))).toBe(
      '2026-07-15T05:00:00.000Z',
    );
    expect(iso(nextOccurrence('0 7 * * *', 'Asia/Kolkata', at('2026-07-14T12:00:00Z')))).toBe(
      '2026-07-15T01:30:00.000Z',
    );
  });

  it('keeps 07:00 at 07:00 across the change to and from daylight saving', () => {
    // New York moves its clocks on 2026-03-08 and 2026-11-01.
    const march = nextActions(
      { ...nights, timeZone: 'America/New_York' },
      at('2026-03-06T13:00:00Z'),
    );
    expect(iso(march.nextStartAt)).toBe('2026-03-09T11:00:00.000Z'); // Monday 07:00 EDT
    expect(iso(march.nextStopAt)).toBe('2026-03-07T01:00:00.000Z'); // Friday 20:00 EST
    expect(iso(nextOccurrence('0 7 * * *', 'America/New_York', at('2026-11-01T12:00:00Z')))).toBe(
      '2026-11-02T12:00:00.000Z', // 07:00 EST
    );
  });

  it('moves a wall time skipped in spring to after the gap, and runs a repeated one once', () => {
    const spring = nextOccurrence('30 2 * * *', 'America/New_York', at('2026-03-07T12:00:00Z'));
    expect(iso(spring)).toBe('2026-03-08T07:30:00.000Z'); // 03:30 EDT
    const first = nextOccurrence('30 1 * * *', 'America/New_York', at('2026-10-31T12:00:00Z'));
    expect(iso(first)).toBe('2026-11-01T05:30:00.000Z'); // 01:30 EDT
    expect(iso(nextOccurrence('30 1 * * *', 'America/New_York', first))).toBe(
      '2026-11-02T06:30:00.000Z', // not 01:30 EST the same night
    );
  });

  it('counts an occurrence at the instant itself as the last one', () => {
    expect(iso(lastOccurrence('0 7 * * *', 'UTC', at('2026-01-15T07:00:00Z')))).toBe(
      '2026-01-15T07:00:00.000Z',
    );
  });

  it('says what is due between two sweeps: the latest of stop and start, or nothing', () => {
    // Monday 2026-01-12: start at 06:00Z (07:00 CET), stop at 19:00Z.
    expect(dueAction(nights, at('2026-01-12T05:59:00Z'), at('2026-01-12T06:00:00Z'))).toBe('start');
    expect(dueAction(nights, at('2026-01-12T06:00:00Z'), at('2026-01-12T06:01:00Z'))).toBeNull();
    expect(dueAction(nights, at('2026-01-12T18:59:00Z'), at('2026-01-12T19:00:30Z'))).toBe('stop');
    // A sweep that slept through the evening and the morning acts on the morning.
    expect(dueAction(nights, at('2026-01-12T18:00:00Z'), at('2026-01-13T06:30:00Z'))).toBe('start');
    // The weekend has neither.
    expect(dueAction(nights, at('2026-01-17T00:00:00Z'), at('2026-01-18T23:00:00Z'))).toBeNull();
    expect(
      dueAction({ ...nights, start: null }, at('2026-01-12T18:00:00Z'), at('2026-01-13T06:30:00Z')),
    ).toBe('stop');
  });

  it('names what is wrong with an expression or a time zone', () => {
    expect(cronProblem('0 7 * * 1-5')).toBeNull();
    expect(cronProblem('15 0 7 * * *')).toBeNull();
    expect(cronProblem('61 7 * * *')).toMatch(/cron expression "61 7 \* \* \*": .*0-59/);
    expect(cronProblem('7 * *')).toMatch(/must have 5 fields/);
    expect(timeZoneProblem('Europe/Berlin')).toBeNull();
    expect(timeZoneProblem('Mars/Olympus')).toMatch(/unknown time zone Mars\/Olympus/);
  });
});

import { describe, expect, it } from 'vitest';
import { idleFor, latestActivity } from './idle.js';

const at = (iso: string) => new Date(iso);

describe('idle time', () => {
  it('takes the later of what was seen and what the agent reports', () => {
    const seen = at('2030-01-01T10:05:00Z');
    expect(latestActivity(seen, { running: true, lastActivityAt: '2030-01-01T09:00:00Z' })).toEqual(
      seen,
    );
    expect(latestActivity(seen, { running: true, lastActivityAt: '2030-01-01T10:06:00Z' })).toEqual(
      at('2030-01-01T10:06:00Z'),
    );
    expect(latestActivity(null, { running: false, lastActivityAt: null })).toBeNull();
  });

  it('counts from the latest activity, and not at all when nothing runs', () => {
    const now = at('2030-01-01T10:10:00Z');
    const activity = { running: true, lastActivityAt: '2030-01-01T09:00:00Z' };
    expect(idleFor(at('2030-01-01T10:05:00Z'), activity, now)).toBe(5 * 60_000);
    expect(idleFor(null, activity, now)).toBe(70 * 60_000);
    expect(idleFor(null, { running: false, lastActivityAt: null }, now)).toBeNull();
  });
});

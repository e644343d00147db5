import { FormControl } from '@angular/forms';
import {
  durationError,
  durationLabel,
  durationValidator,
  expiresWithin,
  expiryText,
  formatSpan,
  parseDuration,
} from './duration';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const at = (ms: number) => new Date(NOW + ms).toISOString();
const H = 3_600_000;

describe('parseDuration', () => {
  it('reads minutes, hours, days and weeks', () => {
    expect(parseDuration('30m')).toBe(30 * 60_000);
    expect(parseDuration('2h')).toBe(2 * H);
    expect(parseDuration(' 7D ')).toBe(7 * 24 * H);
    expect(parseDuration('2w')).toBe(14 * 24 * H);
    expect(parseDuration('1h30m')).toBe(1.5 * H);
  });

  it('refuses anything else', () => {
    for (const text of ['', '2', 'h', '0h', '0h0m', '-2h', '2.5h', '2 h', '2y', 'h2', 'soon'])
      expect(parseDuration(text), text).toBeNull();
  });
});

describe('durationLabel', () => {
  it('spells the unit out', () => {
    expect(durationLabel('1h')).toBe('1 hour');
    expect(durationLabel('7d')).toBe('7 days');
    expect(durationLabel('30m')).toBe('30 minutes');
    expect(durationLabel('1h30m')).toBe('1 hour 30 minutes');
    expect(durationLabel('nonsense')).toBe('nonsense');
  });
});

describe('formatSpan', () => {
  it('picks the unit that reads well and rounds', () => {
    expect(formatSpan(20_000)).toBe('less than a minute');
    expect(formatSpan(45 * 60_000)).toBe('45 min');
    expect(formatSpan(2 * H + 40 * 60_000)).toBe('3 h');
    expect(formatSpan(30 * H)).toBe('30 h');
    expect(formatSpan(5 * 24 * H)).toBe('5 d');
    expect(formatSpan(21 * 24 * H)).toBe('3 w');
    expect(formatSpan(-2 * H)).toBe('2 h');
  });
});

describe('expiryText', () => {
  it('says never, protected, how long is left or how long ago it expired', () => {
    expect(expiryText({ expiresAt: null }, NOW)).toBe('never');
    expect(expiryText({ expiresAt: at(3 * H), protected: true }, NOW)).toBe('protected');
    expect(expiryText({ expiresAt: at(3 * H) }, NOW)).toBe('expires in 3 h');
    expect(expiryText({ expiresAt: at(-2 * H) }, NOW)).toBe('expired 2 h ago');
  });
});

describe('expiresWithin', () => {
  it('is true from the lead before the expiry on, never for protected or non-expiring items', () => {
    expect(expiresWithin({ expiresAt: at(2 * H) }, 24 * H, NOW)).toBe(true);
    expect(expiresWithin({ expiresAt: at(-H) }, 24 * H, NOW)).toBe(true);
    expect(expiresWithin({ expiresAt: at(25 * H) }, 24 * H, NOW)).toBe(false);
    expect(expiresWithin({ expiresAt: at(2 * H), protected: true }, 24 * H, NOW)).toBe(false);
    expect(expiresWithin({ expiresAt: null }, 24 * H, NOW)).toBe(false);
  });
});

describe('durationValidator', () => {
  it('accepts empty and valid durations within the maximum', () => {
    const control = new FormControl('', { validators: durationValidator(() => '7d') });
    expect(control.valid).toBe(true);
    control.setValue('3d');
    expect(control.valid).toBe(true);
  });

  it('names what is wrong: not a duration, or over the maximum', () => {
    const control = new FormControl('2 days', { validators: durationValidator(() => '7d') });
    expect(durationError(control)).toContain('e.g. 30m, 2h');
    control.setValue('2w');
    expect(control.errors).toEqual({ overMax: '7d' });
    expect(durationError(control)).toBe('At most 7 days.');
  });
});

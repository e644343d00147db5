import { AbstractControl, ValidationErrors, ValidatorFn } from '@angular/forms';
import { isDuration, parseDuration as parse } from '@branchpoint/contracts';

/**
 * Durations as the API takes them ("30m", "2h", "7d", "2w", "1h30m") and expiry as the UI shows
 * it ("expires in 3 h", "never", "protected"): the UI's one place that words them. Parsing is the
 * control plane's own (`parseDuration` of @branchpoint/contracts), so what this accepts the API
 * accepts.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

const UNIT_NAMES = { s: 'second', m: 'minute', h: 'hour', d: 'day', w: 'week' } as const;
type Unit = keyof typeof UNIT_NAMES;

/** What has an expiry: containers, branches and bookmarks. */
export interface Expirable {
  expiresAt: string | null;
  protected?: boolean;
  /** Why an expired item was kept (e.g. bookmarks that depend on it). */
  expiryBlockedReason?: string | null;
}

/** "2h" → milliseconds; null when the API would refuse it. */
export function parseDuration(text: string): number | null {
  return isDuration(text) ? parse(text) : null;
}

/** "7d" → "7 days", "1h30m" → "1 hour 30 minutes"; other text unchanged. */
export function durationLabel(text: string): string {
  if (!isDuration(text)) return text;
  const parts = text
    .trim()
    .toLowerCase()
    .matchAll(/(\d+)([smhdw])/g);
  return [...parts]
    .map(([, digits, unit]) => {
      const amount = Number(digits);
      return `${amount} ${UNIT_NAMES[unit as Unit]}${amount === 1 ? '' : 's'}`;
    })
    .join(' ');
}

/** A span in the largest unit that reads well: "45 min", "3 h", "5 d", "3 w" (rounded). */
export function formatSpan(ms: number): string {
  const span = Math.abs(ms);
  if (span < MINUTE) return 'less than a minute';
  if (span < HOUR) return `${Math.round(span / MINUTE)} min`;
  if (span < 2 * DAY) return `${Math.round(span / HOUR)} h`;
  if (span < 2 * WEEK) return `${Math.round(span / DAY)} d`;
  return `${Math.round(span / WEEK)} w`;
}

/** "protected", "never", "expires in 3 h" or "expired 2 h ago", as of `now`. */
export function expiryText(item: Expirable, now: number): string {
  if (item.protected) return 'protected';
  if (!item.expiresAt) return 'never';
  const left = Date.parse(item.expiresAt) - now;
  return left > 0 ? `expires in ${formatSpan(left)}` : `expired ${formatSpan(left)} ago`;
}

/** Whether the expiry is due within `leadMs` of `now` (or past): the moment to warn. */
export function expiresWithin(item: Expirable, leadMs: number, now: number): boolean {
  if (item.protected || !item.expiresAt) return false;
  return Date.parse(item.expiresAt) - now <= leadMs;
}

/**
 * Form validator for a duration field; empty passes (add `Validators.required` when it must
 * be set). `max` (a duration text, or null for none) gives `{ overMax: max }`.
 */
export function durationValidator(max: () => string | null = () => null): ValidatorFn {
  return (control: AbstractControl<string | null>): ValidationErrors | null => {
    const text = control.value?.trim();
    if (!text) return null;
    const ms = parseDuration(text);
    if (ms === null) return { duration: true };
    const limit = max();
    const maxMs = limit ? parseDuration(limit) : null;
    return maxMs !== null && ms > maxMs ? { overMax: limit } : null;
  };
}

/** The message for a duration field's errors, or '' when it has none. */
export function durationError(control: AbstractControl): string {
  if (control.hasError('duration'))
    return 'A number and a unit (m, h, d, w), e.g. 30m, 2h, 7d, 1h30m.';
  if (control.hasError('overMax'))
    return `At most ${durationLabel(String(control.getError('overMax')))}.`;
  if (control.hasError('required')) return 'Required.';
  return '';
}

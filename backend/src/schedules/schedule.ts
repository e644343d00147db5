import { CronExpressionParser } from 'cron-parser';

/** What a schedule does to a container at an occurrence of one of its expressions. */
export type ScheduleAction = 'stop' | 'start';

/** The times of a schedule: cron expressions (5 fields, or 6 with seconds) read in `timeZone`. */
export interface ScheduleTimes {
  stop: string | null;
  start: string | null;
  /** An IANA time zone, e.g. `Europe/Berlin`: 07:00 stays 07:00 across daylight saving. */
  timeZone: string;
}

/** Why a time zone is not one, or null. */
export function timeZoneProblem(timeZone: string): string | null {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return null;
  } catch {
    return `unknown time zone ${timeZone} (use an IANA name such as Europe/Berlin or UTC)`;
  }
}

/** Why a cron expression is not one, or null. */
export function cronProblem(expression: string): string | null {
  const fields = expression.trim().split(/\s+/).length;
  if (fields < 5 || fields > 6)
    return `cron expression "${expression}" must have 5 fields (minute hour day month weekday) or 6 (with seconds first)`;
  try {
    CronExpressionParser.parse(expression, { strict: false });
    return null;
  } catch (error) {
    return `cron expression "${expression}": ${error instanceof Error ? error.message : String(error)}`;
  }
}

const parse = (expression: string, timeZone: string, currentDate: Date) =>
  CronExpressionParser.parse(expression, { currentDate, tz: timeZone });

/**
 * The first occurrence strictly after `after`. A wall time skipped by daylight saving happens
 * at the shifted time (02:30 on the spring day is 03:30); one repeated in autumn happens once.
 */
export function nextOccurrence(expression: string, timeZone: string, after: Date): Date {
  return parse(expression, timeZone, after).next().toDate();
}

/** The last occurrence at or before `at`. */
export function lastOccurrence(expression: string, timeZone: string, at: Date): Date {
  return parse(expression, timeZone, new Date(at.getTime() + 1))
    .prev()
    .toDate();
}

/**
 * What is due in (since, now]: the latest of the stop and start occurrences in that window (a
 * sweep that missed several acts on the last only), or null when neither occurred.
 */
export function dueAction(times: ScheduleTimes, since: Date, now: Date): ScheduleAction | null {
  let due: { action: ScheduleAction; at: number } | null = null;
  for (const action of ['stop', 'start'] as const) {
    const expression = times[action];
    if (!expression) continue;
    const at = lastOccurrence(expression, times.timeZone, now).getTime();
    if (at > since.getTime() && (!due || at >= due.at)) due = { action, at };
  }
  return due?.action ?? null;
}

/** The next stop and start of a schedule after `now` (null where it has none). */
export function nextActions(
  times: ScheduleTimes,
  now: Date,
): { nextStopAt: Date | null; nextStartAt: Date | null } {
  const next = (expression: string | null) =>
    expression ? nextOccurrence(expression, times.timeZone, now) : null;
  return { nextStopAt: next(times.stop), nextStartAt: next(times.start) };
}

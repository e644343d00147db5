/** `2026-12-31` (a date input's value) → the ISO time of that day's end, local time. */
export function endOfDay(date: string): string {
  return new Date(`${date}T23:59:59`).toISOString();
}

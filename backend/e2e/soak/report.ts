/** What a soak run counts, and the closing note it prints. */

export interface Violation {
  container: string;
  after: string;
  detail: string;
}

export interface SoakReport {
  seed: number;
  wallMs: number;
  operations: Record<string, number>;
  /** Refusals the model predicted (e.g. deleting the active branch → 409), by kind and reason. */
  refusals: Record<string, number>;
  /** Anything else that did not succeed, by kind, with details. */
  unexpected: { kind: string; detail: string }[];
  violations: Violation[];
  /** Job durations (ms, accepted to ended) by operation kind. */
  jobTimes: Record<string, number[]>;
  /** Containers the run stopped operating on after an unexpected failure or a violation. */
  quarantined: string[];
}

export class Tally {
  private readonly report: SoakReport;
  private readonly started = Date.now();

  constructor(seed: number) {
    this.report = {
      seed,
      wallMs: 0,
      operations: {},
      refusals: {},
      unexpected: [],
      violations: [],
      jobTimes: {},
      quarantined: [],
    };
  }

  get operationsRun(): number {
    return Object.values(this.report.operations).reduce((sum, n) => sum + n, 0);
  }

  operation(kind: string): void {
    this.report.operations[kind] = (this.report.operations[kind] ?? 0) + 1;
  }

  refusal(kind: string, reason: string): void {
    const key = `${kind}: ${reason}`;
    this.report.refusals[key] = (this.report.refusals[key] ?? 0) + 1;
  }

  unexpected(kind: string, detail: string): void {
    this.report.unexpected.push({ kind, detail });
  }

  violation(violation: Violation): void {
    this.report.violations.push(violation);
  }

  jobTime(kind: string, ms: number): void {
    (this.report.jobTimes[kind] ??= []).push(ms);
  }

  quarantine(container: string): void {
    this.report.quarantined.push(container);
  }

  finish(): SoakReport {
    return { ...this.report, wallMs: Date.now() - this.started };
  }
}

/** The value below which `fraction` of the sorted samples lie (nearest rank). */
export function percentile(samples: readonly number[], fraction: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)] ?? 0;
}

/** The closing note: operations, failures by kind, violations (the goal is 0), times. */
export function formatReport(report: SoakReport): string {
  const lines = [
    `soak: seed ${report.seed} (replay with BP_SOAK_SEED=${report.seed}), wall time ${(report.wallMs / 1000).toFixed(1)} s`,
    `operations run: ${Object.values(report.operations).reduce((s, n) => s + n, 0)}`,
  ];
  const kinds = Object.keys(report.operations).sort();
  for (const kind of kinds) {
    const times = report.jobTimes[kind] ?? [];
    const timing = times.length
      ? `, job p50 ${percentile(times, 0.5)} ms, p95 ${percentile(times, 0.95)} ms`
      : '';
    lines.push(`  ${kind}: ${report.operations[kind]}${timing}`);
  }
  const refusals = Object.entries(report.refusals).sort();
  lines.push(`expected refusals: ${refusals.reduce((s, [, n]) => s + n, 0)}`);
  for (const [key, count] of refusals) lines.push(`  ${key}: ${count}`);
  const unexpectedByKind = new Map<string, number>();
  for (const { kind } of report.unexpected)
    unexpectedByKind.set(kind, (unexpectedByKind.get(kind) ?? 0) + 1);
  lines.push(`unexpected failures: ${report.unexpected.length}`);
  for (const [kind, count] of unexpectedByKind) lines.push(`  ${kind}: ${count}`);
  for (const { kind, detail } of report.unexpected) lines.push(`  - ${kind}: ${detail}`);
  lines.push(`invariant violations: ${report.violations.length} (the goal is 0)`);
  for (const v of report.violations) lines.push(`  - ${v.container} after ${v.after}: ${v.detail}`);
  if (report.quarantined.length)
    lines.push(`containers left alone after a failure: ${report.quarantined.join(', ')}`);
  return lines.join('\n');
}

import type { Logger } from '@nestjs/common';

/**
 * Background work repeated on an interval (host polls, reconciliation, expiry sweeps): a
 * failure is logged and the next round runs as usual; timers never keep the process alive.
 */
export class PeriodicTask {
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly name: string,
    private readonly logger: Logger,
  ) {}

  /** Runs `work` every `intervalMs`, and once after `firstRunMs` when given. */
  start(work: () => Promise<unknown>, intervalMs: number, firstRunMs?: number): void {
    const run = () =>
      void work().catch((error: unknown) =>
        this.logger.error(`${this.name} failed: ${String(error)}`),
      );
    if (firstRunMs !== undefined) this.timers.push(setTimeout(run, firstRunMs).unref());
    this.timers.push(setInterval(run, intervalMs).unref());
  }

  stop(): void {
    for (const timer of this.timers.splice(0)) clearTimeout(timer);
  }
}

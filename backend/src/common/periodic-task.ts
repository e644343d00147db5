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

  /**
   * Runs `work` every `intervalMs`, and once after `firstRunMs` when given. With `serial`, a
   * round still under way when the next is due makes that one skip (for work whose rounds
   * would disturb each other); otherwise rounds overlap, so one stuck on an unreachable host
   * does not hold up the next.
   */
  start(
    work: () => Promise<unknown>,
    intervalMs: number,
    firstRunMs?: number,
    { serial = false }: { serial?: boolean } = {},
  ): void {
    let running = false;
    const run = () => {
      if (serial && running) return;
      running = true;
      void work()
        .catch((error: unknown) => this.logger.error(`${this.name} failed: ${String(error)}`))
        .finally(() => (running = false));
    };
    if (firstRunMs !== undefined) this.timers.push(setTimeout(run, firstRunMs).unref());
    this.timers.push(setInterval(run, intervalMs).unref());
  }

  stop(): void {
    for (const timer of this.timers.splice(0)) clearTimeout(timer);
  }
}

import type { Logger } from '@nestjs/common';

/**
 * Listeners of one kind of event, told fire-and-forget: a listener's failure is logged and
 * never reaches the code that announced the event. Lets a feature announce what happened to
 * features that import it, without importing them back.
 */
export class Listeners<T> {
  private readonly listeners: ((event: T) => Promise<void>)[] = [];

  constructor(
    private readonly logger: Logger,
    /** How the log names an event, e.g. `after failed job <id>`. */
    private readonly describe: (event: T) => string,
  ) {}

  add(listener: (event: T) => Promise<void>): void {
    this.listeners.push(listener);
  }

  notify(event: T): void {
    for (const listener of this.listeners)
      void listener(event).catch((error: unknown) =>
        this.logger.warn(`${this.describe(event)}: ${String(error)}`),
      );
  }
}

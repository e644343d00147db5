import { Injectable, Logger } from '@nestjs/common';
import { Listeners } from './listeners.js';

/** What changed: a container (with its branches, points and bookmarks) or a template. */
export type CatalogChange = { containerId: string } | { templateId: string };

/**
 * Tells whoever keeps copies of the catalog on the hosts (the catalog mirror, recovery/) that an
 * object changed: a job succeeded, or a name, owner or sharing was edited. Fire-and-forget: a
 * listener's failure is logged and never fails the change. It lives here so that the features
 * that change things need not import the mirror (which imports them).
 */
@Injectable()
export class CatalogChanges {
  private readonly listeners = new Listeners<CatalogChange>(
    new Logger(CatalogChanges.name),
    (change) => `after a change of ${JSON.stringify(change)}`,
  );

  /** `of`: a job's record or any object naming the container (first) or template that changed. */
  changed(of: { containerId?: string | null; templateId?: string | null }): void {
    const change: CatalogChange | null = of.containerId
      ? { containerId: of.containerId }
      : of.templateId
        ? { templateId: of.templateId }
        : null;
    if (change) this.listeners.notify(change);
  }

  listen(listener: (change: CatalogChange) => Promise<void>): void {
    this.listeners.add(listener);
  }
}

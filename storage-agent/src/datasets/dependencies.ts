import type { AgentFaultStep } from '@branchpoint/contracts';
import { hasDependents, held } from '../common/agent-failure.js';
import { faultPoint } from '../common/fault-point.js';
import { ifMissing } from '../zfs/zfs.errors.js';
import type { Zfs } from '../zfs/zfs.js';
import { DatasetLayout, datasetOf, isWithin } from './layout.js';

/**
 * Clone dependency rules: nothing that a clone outside it depends on, and nothing held, is
 * destroyed. Callers get a 409 naming the dependents instead of a silent loss.
 */
export class Dependencies {
  constructor(
    private readonly zfs: Zfs,
    private readonly root: string,
  ) {}

  /** Filesystems under the root cloned from a snapshot that `fromSnapshot` accepts, but outside `outside`. */
  async clonesOf(fromSnapshot: (snapshot: string) => boolean, outside?: string): Promise<string[]> {
    const filesystems = await this.zfs.listOrigins(this.root);
    return filesystems
      .filter(
        (fs) =>
          fs.origin !== null && fromSnapshot(fs.origin) && !(outside && isWithin(fs.name, outside)),
      )
      .map((fs) => fs.name);
  }

  /** Refuses (409) when any `<dataset>[/…]@<snapshot>` is held or has clones. */
  async assertSnapshotFree(dataset: string, snapshot: string, what: string): Promise<void> {
    const snapshots = (await this.zfs.describe(dataset)).filter(
      (info) => info.type === 'snapshot' && info.name.endsWith(`@${snapshot}`),
    );
    if (snapshots.some((info) => info.userrefs > 0)) throw held(`${what} is held by a bookmark`);
    const names = new Set(snapshots.map((info) => info.name));
    const dependents = await this.clonesOf((origin) => names.has(origin));
    if (dependents.length > 0) throw hasDependents(what, dependents);
  }

  /** Refuses (409) when a snapshot in the tree is held or a clone outside the tree depends on it. */
  async assertTreeFree(dataset: string, what: string): Promise<void> {
    const infos = await this.zfs.describe(dataset);
    if (infos.some((info) => info.type === 'snapshot' && info.userrefs > 0))
      throw held(`${what} has points held by bookmarks`);
    const dependents = await this.clonesOf((origin) => isWithin(origin, dataset), dataset);
    if (dependents.length > 0) throw hasDependents(what, dependents);
  }

  /**
   * Destroys a dataset tree after checking that no clone outside it depends on it and nothing in
   * it is held; inside the tree, clones go before their origins (no `destroy -R`). `midStep`
   * is the fault step between the first destroy and the rest (tests only).
   */
  async destroyTree(dataset: string, what: string, midStep?: AgentFaultStep): Promise<void> {
    await this.assertTreeFree(dataset, what);
    const origins = new Map(
      (await this.zfs.listOrigins(dataset)).map((fs) => [fs.name, fs.origin] as const),
    );
    const remaining = new Set(origins.keys());
    while (remaining.size > 0) {
      const next = [...remaining].find(
        (name) =>
          ![...remaining].some(
            (other) =>
              other !== name &&
              (other.startsWith(`${name}/`) || datasetOf(origins.get(other) ?? '') === name),
          ),
      );
      if (next === undefined) throw new Error(`no destroy order for ${dataset}`);
      await this.zfs.destroy(next, { recursive: true });
      remaining.delete(next);
      if (midStep && remaining.size > 0) faultPoint(midStep);
    }
    await this.destroyUnusedReceivedPoints(origins.values());
  }

  /**
   * Received points no clone uses, last used before `unusedSince` (a job that failed between
   * the transfer and the clone, or its host went): destroyed. Answers their datasets.
   */
  async sweepReceivedPoints(unusedSince: Date): Promise<string[]> {
    const points = new DatasetLayout(this.root).points;
    const infos = await this.zfs.describe(points, { depth: 1 }).catch(ifMissing([]));
    const swept: string[] = [];
    for (const info of infos) {
      if (info.name === points || info.type !== 'filesystem') continue;
      const usedAt = Date.parse(info.properties['used-at'] ?? info.properties['created-at'] ?? '');
      if (!(usedAt < unusedSince.getTime())) continue;
      if ((await this.clonesOf((origin) => isWithin(origin, info.name))).length > 0) continue;
      await this.destroyTree(info.name, `received point ${info.name}`);
      swept.push(info.name);
    }
    return swept;
  }

  /**
   * A point received from another agent lives only for its clones: it goes with the last
   * (a deferred destroy, like `destroy -d` of a snapshot, but of the whole received dataset).
   */
  private async destroyUnusedReceivedPoints(origins: Iterable<string | null>): Promise<void> {
    const points = new DatasetLayout(this.root).points;
    const received = new Set<string>();
    for (const origin of origins) {
      const source = origin === null ? '' : datasetOf(origin);
      const point = source.slice(0, source.lastIndexOf('/'));
      if (point.slice(0, point.lastIndexOf('/')) === points) received.add(point);
    }
    for (const point of received)
      if ((await this.clonesOf((origin) => isWithin(origin, point))).length === 0)
        await this.destroyTree(point, `received point ${point}`);
  }
}

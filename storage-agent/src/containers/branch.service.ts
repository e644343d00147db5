import type {
  BranchOrigin,
  HookOutput,
  PointStatus,
  ResetResult,
  RestoreRequest,
} from '@branchpoint/contracts';
import { AgentFailure, conflict, notFound } from '../common/agent-failure.js';
import { faultPoint } from '../common/fault-point.js';
import type { Dependencies } from '../datasets/dependencies.js';
import { hookOutput } from '../hooks/hook-log.js';
import {
  datasetOf,
  isWithin,
  leafOf,
  resourceId,
  snapshotOf,
  type DatasetLayout,
} from '../datasets/layout.js';
import { POINT_HOLD, PROPERTY, identity } from '../datasets/properties.js';
import { ifExists, ifMissing } from '../zfs/zfs.errors.js';
import type { DatasetInfo, Zfs } from '../zfs/zfs.js';
import type { OsIdentity } from '../identity/os-identity.js';
import { LOCAL, readContainer, sourceIds, type ContainerRecord } from './container-record.js';
import type { ContainerService } from './container.service.js';

/** The generation a new branch's data is cloned into. */
export const FIRST_GENERATION = 'g0';

/** What a generation is cloned from: a recursive snapshot and its per-source snapshots. */
interface OriginData {
  snapshot: string;
  /** The per-source snapshots, `<parent>/<sourceId>@<name>`. */
  sources: DatasetInfo[];
  /** The filesystems read with them (their local properties are carried into the clones). */
  datasets: DatasetInfo[];
}

/** A point: one recursive snapshot of a branch generation. */
interface PointLocation extends OriginData {
  generationId: string;
}

/** Branches of a container: generations of clones, points, restore, reset and holds. */
export class BranchService {
  constructor(
    private readonly zfs: Zfs,
    private readonly layout: DatasetLayout,
    private readonly dependencies: Dependencies,
    private readonly containers: ContainerService,
  ) {}

  /**
   * Clones the origin (a template version or a point of any branch) into the branch's first
   * generation; with `firstPointId`, snapshots it as that point before the branch is switched to
   * it (nothing runs on a new generation: no CHECKPOINT, no second call).
   */
  async create(
    containerId: string,
    branchId: string,
    origin: BranchOrigin,
    firstPointId?: string,
  ): Promise<void> {
    if (firstPointId !== undefined) resourceId(firstPointId, 'firstPointId');
    const branch = this.layout.branch(containerId, branchId);
    await this.containers.locks.run(`container:${containerId}`, async () => {
      // With the branch a point origin is on, whose generation is read next.
      await this.containers.readAhead(
        containerId,
        branchId,
        ...(origin.kind === 'point'
          ? [this.layout.branch(origin.containerId, origin.branchId)]
          : []),
      );
      const record = await readContainer(this.zfs, this.layout, containerId);
      const owner = await this.containers.identity(containerId);
      if ((await this.generationOf(containerId, branchId)) !== null) return;
      const from = await this.originSnapshots(origin, record);
      await this.zfs.create(branch, {
        ...identity('branch', { containerId, branchId }),
        [PROPERTY.origin]: from.snapshot,
      });
      faultPoint('branch.create:after-branch');
      // The first generation is current from its creation (restore never targets it).
      await this.cloneGeneration(record, owner, branchId, FIRST_GENERATION, from, {
        [PROPERTY.currentSince]: new Date().toISOString(),
      });
      faultPoint('branch.create:after-clone');
      if (firstPointId !== undefined) {
        const point = this.layout.point(containerId, branchId, FIRST_GENERATION, firstPointId);
        await this.zfs.snapshotRecursive(point).catch(ifExists());
      }
      await this.makeCurrent(record, branchId, FIRST_GENERATION, { marked: true });
      faultPoint('branch.create:after-generation');
      if (record.activeBranchId === null)
        await this.zfs.set(this.layout.container(containerId), PROPERTY.activeBranch, branchId);
    });
  }

  /** Destroys a branch with its generations; refused while it is active, held or cloned elsewhere. */
  async delete(containerId: string, branchId: string): Promise<void> {
    const branch = this.layout.branch(containerId, branchId);
    await this.containers.locks.run(`container:${containerId}`, async () => {
      const record = await readContainer(this.zfs, this.layout, containerId);
      if (!(await this.zfs.exists(branch))) return;
      if (record.activeBranchId === branchId)
        throw conflict(`branch ${branchId} is the active branch of container ${containerId}`);
      await this.dependencies.destroyTree(
        branch,
        `branch ${branchId}`,
        'branch.delete:mid-destroy',
      );
    });
  }

  /**
   * One `snapshot -r <generation>@<pointId>` with the branch's running servers quiesced; with
   * `holdTag`, held right after in the same call (a bookmark: one round trip, not two).
   */
  async createPoint(
    containerId: string,
    branchId: string,
    pointId: string,
    holdTag?: string,
  ): Promise<PointStatus> {
    this.layout.branch(containerId, branchId);
    resourceId(pointId, 'pointId');
    if (holdTag !== undefined) resourceId(holdTag, 'holdTag');
    return this.containers.locks.run(`container:${containerId}`, async () => {
      // The quiesce reads the container record: with the branch's generation, in one read.
      await this.containers.readAhead(containerId, branchId);
      return this.takePoint(containerId, branchId, pointId, holdTag);
    });
  }

  /** createPoint, for callers that hold the container lock. */
  private async takePoint(
    containerId: string,
    branchId: string,
    pointId: string,
    holdTag?: string,
  ): Promise<PointStatus> {
    const generationId = await this.currentGeneration(containerId, branchId);
    const snapshot = this.layout.point(containerId, branchId, generationId, pointId);
    // A repeat finds its point in the current generation (a container's jobs run one at a time:
    // no restore came between). The point and the sources the quiesce reads are read by name,
    // in one command: not the generation's children, which include every point of it.
    const record = await readContainer(this.zfs, this.layout, containerId);
    const sources = this.layout.sources(containerId, branchId, generationId, sourceIds(record));
    const infos = await this.zfs.describeEach([snapshot, ...sources]);
    if (infos.some((info) => info.name === snapshot)) {
      const existing = await this.findPoint(containerId, branchId, pointId);
      if (holdTag !== undefined) await this.holdSnapshot(holdTag, existing.snapshot, false);
      return this.pointStatus(existing, pointId);
    }
    await this.containers.quiesced(containerId, branchId, async () => {
      faultPoint('point.create:after-checkpoint');
      // A bookmark's tag is recorded with the snapshot itself, before its hold (see holdSnapshot).
      await this.zfs.snapshotRecursive(
        snapshot,
        holdTag === undefined ? {} : { [PROPERTY.holds]: holdTag },
      );
    });
    faultPoint('point.create:after-snapshot');
    // The snapshot's own time, as a repeat reads it (the clock after the command may already
    // be a second past the one zfs recorded), read while the hold runs: one wait, not two.
    const [[info]] = await Promise.all([
      this.zfs.describe(snapshot, { depth: 0 }),
      holdTag === undefined ? undefined : this.holdSnapshot(holdTag, snapshot, true),
    ]);
    // Nothing was cloned from a new point: no clone of the root is listed.
    return {
      pointId,
      createdAt: createdAtOf(info),
      held: holdTag !== undefined,
      dependentClones: [],
    };
  }

  async getPoint(containerId: string, branchId: string, pointId: string): Promise<PointStatus> {
    return this.pointStatus(await this.findPoint(containerId, branchId, pointId), pointId);
  }

  /** Destroys a point; refused while held or cloned, unless deferred (`destroy -d`: gone when the last user is). */
  async deletePoint(
    containerId: string,
    branchId: string,
    pointId: string,
    defer: boolean,
  ): Promise<void> {
    this.layout.branch(containerId, branchId);
    resourceId(pointId, 'pointId');
    await this.containers.locks.run(`container:${containerId}`, async () => {
      const point = await this.pointIfAny(containerId, branchId, pointId);
      if (!point) return;
      if (!defer)
        await this.dependencies.assertSnapshotFree(
          datasetOf(point.snapshot),
          pointId,
          `point ${pointId}`,
        );
      await this.zfs.destroy(point.snapshot, { recursive: true, deferred: defer });
    });
  }

  /**
   * Restore: clones a point or a template version into a new generation of the branch and makes
   * it current, with the servers stopped around the switch. The old generation and its points
   * stay; no rollback. Answers the afterStart hooks' output when it started the servers again.
   */
  async restore(
    containerId: string,
    branchId: string,
    generationId: string,
    request: RestoreRequest,
  ): Promise<HookOutput> {
    this.layout.generation(containerId, branchId, generationId);
    return this.containers.locks.run(`container:${containerId}`, async () => {
      await this.containers.readAhead(
        containerId,
        branchId,
        this.layout.generation(containerId, branchId, generationId),
      );
      if ((await this.generationOf(containerId, branchId)) === generationId) {
        // Done before; a crash may have left the generation unmarked, the point after
        // untaken (quiesced if the servers run again) or the servers stopped.
        await this.makeCurrent(
          await readContainer(this.zfs, this.layout, containerId),
          branchId,
          generationId,
        );
        if (request.afterPointId) await this.takePoint(containerId, branchId, request.afterPointId);
        if (!(await this.containers.branchServing(containerId, branchId))) return {};
        return hookOutput(await this.containers.startServers(containerId));
      }
      await this.currentGeneration(containerId, branchId);
      const record = await readContainer(this.zfs, this.layout, containerId);
      const owner = await this.containers.identity(containerId);
      const target = this.layout.generation(containerId, branchId, generationId);
      if (
        (await this.zfs.getValue(target, PROPERTY.currentSince).catch(ifMissing(null))) !== null
      ) {
        throw conflict(
          `generation ${generationId} of branch ${branchId} was current before; restore into a new generation id`,
        );
      }
      const from = await this.originSnapshots(
        restoreOrigin(containerId, branchId, request),
        record,
      );
      const { hookLog } = await this.withServersStopped(
        containerId,
        branchId,
        'restore',
        async () => {
          await this.cloneGeneration(record, owner, branchId, generationId, from);
          faultPoint('restore:after-clone');
          await this.makeCurrent(record, branchId, generationId);
          faultPoint('restore:after-switch');
          // The servers are stopped: the new data is consistent as it is (no CHECKPOINT).
          if (request.afterPointId)
            await this.zfs.snapshotRecursive(
              this.layout.point(containerId, branchId, generationId, request.afterPointId),
            );
        },
      );
      return hookOutput(hookLog);
    });
  }

  /**
   * Reset: every source of the current generation back to its newest point (`zfs rollback`).
   * A generation without points is re-cloned from its origin, its state at creation.
   */
  async reset(containerId: string, branchId: string): Promise<ResetResult> {
    return this.containers.locks.run(`container:${containerId}`, async () => {
      const generationId = await this.currentGeneration(containerId, branchId);
      const generation = this.layout.generation(containerId, branchId, generationId);
      const infos = await this.zfs.describe(generation);
      const newest = (await this.zfs.snapshotsOldestFirst(generation)).pop();
      const { result, hookLog } = await this.withServersStopped(
        containerId,
        branchId,
        'reset',
        async () => {
          const rolledBack = await this.rollBack(
            containerId,
            branchId,
            generationId,
            infos,
            newest,
          );
          faultPoint('reset:after-rollback');
          return rolledBack;
        },
      );
      return { ...result, ...hookOutput(hookLog) };
    });
  }

  /** Each source of the generation back to its newest point, or its origin cloned again when it has none. */
  private async rollBack(
    containerId: string,
    branchId: string,
    generationId: string,
    infos: DatasetInfo[],
    newest: string | undefined,
  ): Promise<{ pointId: string }> {
    const generation = this.layout.generation(containerId, branchId, generationId);
    if (newest) {
      const pointId = snapshotOf(newest) as string;
      for (const info of infos) {
        if (info.type === 'filesystem' && info.name !== generation)
          await this.zfs.rollback(`${info.name}@${pointId}`);
      }
      return { pointId };
    }
    // No point yet: back to the generation's origin, by cloning it again (a repeat after a crash completes it).
    const origin = infos.find((info) => info.name === generation)?.properties['origin'];
    if (!origin)
      throw conflict(
        `generation ${generationId} of branch ${branchId} has no point and no origin to reset to`,
      );
    const originData = await this.snapshotsOf(origin);
    if (originData.sources.some((snapshot) => snapshot.deferDestroy))
      throw conflict(`the origin ${origin} is being deleted; take a point before resetting`);
    for (const info of infos) {
      if (info.type === 'filesystem' && info.name !== generation)
        await this.zfs.destroy(info.name, { recursive: true });
    }
    const record = await readContainer(this.zfs, this.layout, containerId);
    await this.cloneGeneration(
      record,
      await this.containers.identity(containerId),
      branchId,
      generationId,
      originData,
    );
    return { pointId: snapshotOf(origin) as string };
  }

  /**
   * Holds a point for `tag`; holding twice changes nothing. The tag is recorded in
   * `branchpoint:holds` first and dropped only after the release, so whatever a crash interrupts,
   * the property names every real hold (perhaps one more). The snapshots themselves carry one
   * `zfs hold -r` (POINT_HOLD) while any tag is recorded.
   */
  async hold(tag: string, containerId: string, branchId: string, pointId: string): Promise<void> {
    const point = await this.findPoint(containerId, branchId, pointId);
    await this.containers.locks.run(`container:${containerId}`, () =>
      this.holdSnapshot(tag, point.snapshot, false),
    );
  }

  /**
   * Records the tag, then holds the point's snapshots (callers hold the container lock);
   * `recorded`: a point just taken with the tag as its `branchpoint:holds` (no write here).
   */
  private async holdSnapshot(tag: string, snapshot: string, recorded: boolean): Promise<void> {
    if (!recorded) await this.recordHolds(snapshot, (tags) => tags.add(tag));
    faultPoint('hold:after-record');
    await this.zfs.hold(POINT_HOLD, snapshot).catch(ifExists());
    faultPoint('hold:after-hold');
  }

  /** Drops `tag`'s hold (the point's zfs hold goes with the last tag); a missing hold or point changes nothing. */
  async release(
    tag: string,
    containerId: string,
    branchId: string,
    pointId: string,
  ): Promise<void> {
    const point = await this.pointIfAny(containerId, branchId, pointId);
    if (!point) return;
    await this.containers.locks.run(`container:${containerId}`, async () => {
      const [info] = await this.zfs.describe(point.snapshot, { depth: 0 });
      const userrefs = info?.userrefs ?? 0;
      const recorded = info?.properties[LOCAL.holds] ?? '';
      const last = tagsOf(recorded).every((other) => other === tag);
      const released =
        last && userrefs > 0 && (await this.releaseIfHeld(POINT_HOLD, point.snapshot));
      // A point held before its tags shared one zfs hold has a hold named after each tag.
      if (userrefs > (last ? Number(released) : 1)) await this.releaseIfHeld(tag, point.snapshot);
      faultPoint('release:after-release');
      // A release leaves the properties as they were: the value read above is still current.
      await this.recordHolds(point.snapshot, (tags) => tags.delete(tag), recorded);
    });
  }

  /** `zfs release -r`; whether the snapshot had that hold. */
  private releaseIfHeld(tag: string, snapshot: string): Promise<boolean> {
    return this.zfs.release(tag, snapshot).then(() => true, ifMissing(false));
  }

  /**
   * Rewrites a point's `branchpoint:holds` (sorted, comma-separated; unset when none) when it
   * changes; `known`: its value, when the caller has just read it.
   */
  private async recordHolds(
    snapshot: string,
    change: (tags: Set<string>) => void,
    known?: string,
  ): Promise<void> {
    const current = known ?? (await this.zfs.getValue(snapshot, PROPERTY.holds)) ?? '';
    const tags = new Set(tagsOf(current));
    change(tags);
    const next = [...tags].sort().join(',');
    if (next === current) return;
    if (next) await this.zfs.set(snapshot, PROPERTY.holds, next);
    else await this.zfs.inherit(snapshot, PROPERTY.holds);
  }

  /** Finds a point among all generations of a branch (points of older generations stay usable). */
  async findPoint(containerId: string, branchId: string, pointId: string): Promise<PointLocation> {
    const branch = this.layout.branch(containerId, branchId);
    resourceId(pointId, 'pointId');
    const infos = await this.zfs.describe(branch).catch(ifMissing([] as DatasetInfo[]));
    const generationSnapshot = infos.find(
      (info) =>
        info.type === 'snapshot' &&
        snapshotOf(info.name) === pointId &&
        datasetOf(info.name).split('/').length === branch.split('/').length + 1,
    );
    if (!generationSnapshot)
      throw notFound(
        `point ${pointId} of branch ${branchId} in container ${containerId} does not exist`,
      );
    const generation = datasetOf(generationSnapshot.name);
    const sources = infos.filter(
      (info) =>
        info.type === 'snapshot' &&
        info.name !== generationSnapshot.name &&
        isWithin(info.name, generation) &&
        snapshotOf(info.name) === pointId,
    );
    const datasets = infos.filter(
      (info) => info.type === 'filesystem' && isWithin(info.name, generation),
    );
    return {
      generationId: leafOf(generation),
      snapshot: generationSnapshot.name,
      sources,
      datasets,
    };
  }

  /**
   * A point of its branch's current generation (where a bookmark usually is), read by name: the
   * generation's snapshot and, for each of `record`'s sources, its dataset and snapshot, in one
   * batched `zfs get`. Null when it is not there (an older generation's, or none). findPoint
   * reads the whole branch instead, which grows with its history.
   */
  private async pointOfCurrentGeneration(
    point: { containerId: string; branchId: string; pointId: string },
    record: ContainerRecord,
  ): Promise<OriginData | null> {
    const { containerId, branchId, pointId } = point;
    const generationId = await this.generationOf(containerId, branchId);
    if (generationId === null) return null;
    const snapshot = this.layout.point(containerId, branchId, generationId, pointId);
    const datasets = this.layout.sources(containerId, branchId, generationId, sourceIds(record));
    const names = [snapshot, ...datasets, ...datasets.map((name) => `${name}@${pointId}`)];
    const infos = await this.zfs.describeEach(names);
    if (!infos.some((info) => info.name === snapshot)) return null;
    return {
      snapshot,
      sources: infos.filter((info) => info.type === 'snapshot' && info.name !== snapshot),
      datasets: infos.filter((info) => info.type === 'filesystem'),
    };
  }

  private async pointIfAny(
    containerId: string,
    branchId: string,
    pointId: string,
  ): Promise<PointLocation | null> {
    return this.findPoint(containerId, branchId, pointId).catch((error: unknown) => {
      if (error instanceof AgentFailure && error.code === 'not-found') return null;
      throw error;
    });
  }

  private async pointStatus(point: PointLocation, pointId: string): Promise<PointStatus> {
    const [info] = await this.zfs.describe(point.snapshot, { depth: 0 });
    const names = new Set([point.snapshot, ...point.sources.map((source) => source.name)]);
    return {
      pointId,
      createdAt: createdAtOf(info),
      held: [info, ...point.sources].some((snapshot) => (snapshot?.userrefs ?? 0) > 0),
      dependentClones: await this.dependencies.clonesOf((origin) => names.has(origin)),
    };
  }

  /** Per-source snapshots of a template version or a branch point, for `record`'s sources. */
  private async originSnapshots(
    origin: BranchOrigin,
    record: ContainerRecord,
  ): Promise<OriginData> {
    if (origin.kind === 'point') {
      const local =
        (await this.pointOfCurrentGeneration(origin, record)) ??
        (await this.pointIfAny(origin.containerId, origin.branchId, origin.pointId));
      if (local) return local;
      // A point of a container on another host is cloned from its received copy (transfer/).
      const received = this.layout.receivedPoint(origin.pointId);
      if (
        !(await this.zfs.exists(this.layout.container(origin.containerId))) &&
        (await this.zfs.exists(received))
      )
        return this.snapshotsOf(`${received}@${origin.pointId}`);
      return this.findPoint(origin.containerId, origin.branchId, origin.pointId);
    }
    const version = this.layout.templateVersion(origin.templateId, origin.version);
    const data = await this.snapshotsOf(version);
    if (data.sources.length === 0)
      throw notFound(`template ${origin.templateId} has no version ${origin.version}`);
    return data;
  }

  /** The per-source snapshots `<parent>/<sourceId>@<name>` of a recursive snapshot `<parent>@<name>`, with their datasets. */
  private async snapshotsOf(recursiveSnapshot: string): Promise<OriginData> {
    const parent = datasetOf(recursiveSnapshot);
    const name = snapshotOf(recursiveSnapshot);
    const infos = await this.zfs
      .describe(parent, { depth: 2 })
      .catch(ifMissing([] as DatasetInfo[]));
    const sources = infos.filter(
      (info) =>
        info.type === 'snapshot' &&
        info.name !== recursiveSnapshot &&
        snapshotOf(info.name) === name &&
        datasetOf(info.name).startsWith(`${parent}/`),
    );
    const datasets = infos.filter((info) => info.type === 'filesystem');
    return { snapshot: recursiveSnapshot, sources, datasets };
  }

  /**
   * One `zfs clone -o …` per container source into `<branch>/<generationId>/<sourceId>`;
   * completes a half-done generation (a clone that exists already is kept). `owner`: the
   * container's identity, read by callers right after its record (one zfs read serves both).
   */
  private async cloneGeneration(
    record: ContainerRecord,
    owner: OsIdentity,
    branchId: string,
    generationId: string,
    from: OriginData,
    generationProperties: Record<string, string> = {},
  ): Promise<void> {
    const { containerId } = record;
    await this.zfs.create(this.layout.generation(containerId, branchId, generationId), {
      ...identity('generation', { containerId, branchId, generationId }),
      [PROPERTY.origin]: from.snapshot,
      ...generationProperties,
    });
    for (const source of record.sources) {
      const snapshot = from.sources.find((candidate) => leafOf(candidate.name) === source.id);
      if (!snapshot) throw conflict(`${from.snapshot} has no data for source ${source.id}`);
      const target = this.layout.source(containerId, branchId, generationId, source.id);
      const carried = prefixed(await this.datasetProperties(snapshot, from.datasets), [
        LOCAL.database,
        LOCAL.ingestRole,
        LOCAL.superuser,
      ]);
      await this.zfs
        .clone(snapshot.name, target, {
          ...identity('source', { containerId, branchId, generationId, sourceId: source.id }),
          [PROPERTY.sourceKind]: source.kind,
          ...carried,
        })
        .catch(ifExists());
    }
    await this.containers.adoptGeneration(record, branchId, generationId, owner);
  }

  /** The local properties of a snapshot's dataset (snapshots inherit them), read with it when it was, under the snapshot's own. */
  private async datasetProperties(
    snapshot: DatasetInfo,
    known: DatasetInfo[],
  ): Promise<Record<string, string>> {
    const dataset = datasetOf(snapshot.name);
    const info =
      known.find((candidate) => candidate.name === dataset) ??
      (await this.zfs.describe(dataset, { depth: 0 }))[0];
    // A snapshot's own (a received one's, or a bookmark's hold tags) come on top of its dataset's.
    return { ...info?.properties, ...snapshot.properties };
  }

  /**
   * Stops the branch's servers around `work` when it is the active one (a repeat after a crash
   * starts them again); answers work's result and the afterStart hooks' output of the start.
   */
  private async withServersStopped<T>(
    containerId: string,
    branchId: string,
    operation: 'restore' | 'reset',
    work: () => Promise<T>,
  ): Promise<{ result: T; hookLog: string[] }> {
    const serving = await this.containers.branchServing(containerId, branchId);
    if (serving) await this.containers.stopServers(containerId);
    faultPoint(`${operation}:after-stop`);
    const result = await work();
    // The start reads the record and branch again after the work's changes: together.
    if (serving) await this.containers.readAhead(containerId, branchId);
    const hookLog = serving ? await this.containers.startServers(containerId) : [];
    faultPoint(`${operation}:after-start`);
    return { result, hookLog };
  }

  /**
   * Switches the branch to the generation, then marks the generation (a crash in between is
   * completed by a repeat); `marked`: it was created marked.
   */
  private async makeCurrent(
    record: ContainerRecord,
    branchId: string,
    generationId: string,
    { marked = false } = {},
  ): Promise<void> {
    const { containerId } = record;
    await this.zfs.set(
      this.layout.branch(containerId, branchId),
      PROPERTY.generation,
      generationId,
    );
    if (!marked)
      await this.zfs.set(
        this.layout.generation(containerId, branchId, generationId),
        PROPERTY.currentSince,
        new Date().toISOString(),
      );
    await this.containers.linkDirectories(record);
  }

  private async generationOf(containerId: string, branchId: string): Promise<string | null> {
    return this.zfs
      .getValue(this.layout.branch(containerId, branchId), PROPERTY.generation)
      .catch(ifMissing(null));
  }

  private async currentGeneration(containerId: string, branchId: string): Promise<string> {
    const generationId = await this.generationOf(containerId, branchId);
    if (generationId === null)
      throw notFound(`branch ${branchId} of container ${containerId} does not exist`);
    return generationId;
  }
}

/** What a restore clones: a template version, or a point of this or another branch of the container. */
function restoreOrigin(
  containerId: string,
  branchId: string,
  request: RestoreRequest,
): BranchOrigin {
  if ('fromTemplate' in request) return { kind: 'template', ...request.fromTemplate };
  return {
    kind: 'point',
    containerId,
    branchId: request.fromBranchId ?? branchId,
    pointId: request.fromPointId,
  };
}

/** `branchpoint:<key>` options for `clone -o`, from DatasetInfo.properties (keys without the prefix). */
function prefixed(properties: Record<string, string>, keys: string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const key of keys) {
    const value = properties[key];
    if (value !== undefined) result[`branchpoint:${key}`] = value;
  }
  return result;
}

/** A point's creation time as the API gives it (zfs records whole seconds). */
function createdAtOf(info: DatasetInfo | undefined): string {
  return new Date((info?.creation ?? 0) * 1000).toISOString();
}

/** The tags of a `branchpoint:holds` value. */
function tagsOf(holds: string | null | undefined): string[] {
  return (holds ?? '').split(',').filter(Boolean);
}

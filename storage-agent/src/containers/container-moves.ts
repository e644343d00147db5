import type { ContainerOrigins, ContainerStatus, MovedInRequest } from '@branchpoint/contracts';
import { notFound } from '../common/agent-failure.js';
import {
  datasetOf,
  isWithin,
  resourceId,
  snapshotOf,
  type DatasetLayout,
} from '../datasets/layout.js';
import { POINT_HOLD, PROPERTY } from '../datasets/properties.js';
import type { OsIdentities } from '../identity/os-identity.js';
import { ifExists } from '../zfs/zfs.errors.js';
import type { Zfs } from '../zfs/zfs.js';
import type { ContainerService } from './container.service.js';
import { LOCAL } from './container-record.js';

/**
 * The agent's part in moving a container between hosts (the tree itself travels as a transfer,
 * see transfer/received-containers.ts): what the tree needs outside itself on the new host, and
 * making a received tree this host's own.
 */
export class ContainerMoves {
  constructor(
    private readonly zfs: Zfs,
    private readonly layout: DatasetLayout,
    private readonly containers: ContainerService,
    private readonly identities: OsIdentities,
  ) {}

  /** The snapshots outside the container's tree that its clones were made from. */
  async origins(containerId: string): Promise<ContainerOrigins> {
    const tree = this.layout.container(containerId);
    if (!(await this.zfs.exists(tree))) throw notFound(`container ${containerId} does not exist`);
    const origins = new Set<string>();
    for (const { origin } of await this.zfs.listOrigins(tree))
      if (origin && !isWithin(origin, tree)) origins.add(origin);
    const answer: ContainerOrigins = { templateVersions: [], points: [] };
    const seen = new Set<string>();
    for (const origin of origins) {
      const found = await this.originOf(origin);
      const key = found && JSON.stringify(found);
      if (!found || !key || seen.has(key)) continue;
      seen.add(key);
      if ('version' in found) answer.templateVersions.push(found);
      else answer.points.push(found);
    }
    return answer;
  }

  /**
   * `<templates>/<t>/<source>@<version>`, `<containers>/<c>/<branch>/<generation>/<source>@<point>`
   * or a received point (`<points>/<point>/<source>@<point>`, whose ids it records).
   */
  private async originOf(
    origin: string,
  ): Promise<
    | { templateId: string; version: string }
    | { containerId: string; branchId: string; pointId: string }
    | null
  > {
    const path = datasetOf(origin).split('/');
    const snapshot = snapshotOf(origin) ?? '';
    if (isWithin(origin, this.layout.templates)) {
      const templateId = path[this.layout.templates.split('/').length] ?? '';
      return { templateId, version: snapshot };
    }
    if (isWithin(origin, this.layout.containers)) {
      const depth = this.layout.containers.split('/').length;
      return {
        containerId: path[depth] ?? '',
        branchId: path[depth + 1] ?? '',
        pointId: snapshot,
      };
    }
    if (isWithin(origin, this.layout.points)) {
      const point = path.slice(0, this.layout.points.split('/').length + 1).join('/');
      const [info] = await this.zfs.describe(point, { depth: 0 });
      const { 'container-id': containerId, 'branch-id': branchId } = info?.properties ?? {};
      if (containerId && branchId) return { containerId, branchId, pointId: snapshot };
    }
    return null;
  }

  /**
   * A container received whole from another host becomes this host's: a uid and ports of its
   * own here (the old ones mean nothing here, or belong to others), the bookmarks' holds again
   * (holds do not travel), and the move's own snapshots gone. A repeat changes nothing; the
   * servers stay as they came (stopped): the control plane starts them.
   */
  async movedIn(containerId: string, request: MovedInRequest): Promise<ContainerStatus> {
    const tree = this.layout.container(containerId);
    const marker = request.snapshots.map((name) => resourceId(name, 'snapshots')).join(',');
    await this.containers.locks.run(`container:${containerId}`, async () => {
      if (!(await this.zfs.exists(tree))) throw notFound(`container ${containerId} is not here`);
      if ((await this.zfs.getValue(tree, PROPERTY.movedIn)) !== marker) {
        await this.zfs.inherit(tree, PROPERTY.uid);
        await this.identities.container(containerId);
        await this.containers.reassignPorts(containerId);
        await this.holdAgain(tree);
        await this.zfs.set(tree, PROPERTY.movedIn, marker);
      }
      for (const name of request.snapshots)
        if (await this.zfs.exists(`${tree}@${name}`))
          await this.zfs.destroy(`${tree}@${name}`, { recursive: true });
    });
    return this.containers.status(containerId);
  }

  /**
   * Every point that `branchpoint:holds` of its generation snapshot names a tag for, held again
   * here (`hold -r`: its sources' snapshots too, whose own copy of the property, from
   * `snapshot -r -o`, nothing reads). The holds go at once: one `zfs hold` for them all.
   */
  private async holdAgain(tree: string): Promise<void> {
    const generationDepth = tree.split('/').length + 2;
    const held = (await this.zfs.describe(tree)).filter(
      (info) =>
        info.type === 'snapshot' &&
        datasetOf(info.name).split('/').length === generationDepth &&
        Boolean(info.properties[LOCAL.holds]),
    );
    await Promise.all(held.map((info) => this.zfs.hold(POINT_HOLD, info.name).catch(ifExists())));
  }
}

import type { Readable } from 'node:stream';
import type { TransferSubject } from '@branchpoint/contracts';
import { AgentFailure, notFound } from '../common/agent-failure.js';
import { datasetOf, type DatasetLayout } from '../datasets/layout.js';
import { PROPERTY, identity } from '../datasets/properties.js';
import type { Zfs } from '../zfs/zfs.js';

type PointSubject = Extract<TransferSubject, { kind: 'point' }>;

/**
 * Points received from other agents (a bookmark's data for a branch made here):
 * `<root>/points/<pointId>/<sourceId>@<pointId>`, each source a clone of the template version
 * it was sent incrementally from. Branches here clone from it as from any point; it is destroyed
 * with its last clone (Dependencies.destroyTree), or by the agent's sweep when no clone came of
 * it for a while (Dependencies.sweepReceivedPoints).
 */
export class ReceivedPoints {
  constructor(
    private readonly zfs: Zfs,
    private readonly layout: DatasetLayout,
  ) {}

  /**
   * Sender: the point's snapshot of one source, and the template version to send it incrementally
   * from. A point whose data was cloned from another point (a restore, a branch made from a
   * bookmark) has no common snapshot with the receiver: it goes whole (`from` null).
   */
  async toSend(subject: PointSubject): Promise<{ snapshot: string; from: string | null }> {
    const branch = this.layout.branch(subject.containerId, subject.branchId);
    const suffix = `/${subject.sourceId}@${subject.pointId}`;
    const infos = await this.zfs.describe(branch).catch(() => []);
    const snapshot = infos.find((info) => info.type === 'snapshot' && info.name.endsWith(suffix));
    if (!snapshot)
      throw notFound(
        `point ${subject.pointId} of branch ${subject.branchId} has no data for source ${subject.sourceId} here`,
      );
    const dataset = infos.find((info) => info.name === datasetOf(snapshot.name));
    const version = `${this.layout.templateSource(subject.templateId, subject.sourceId)}@${subject.version}`;
    return { snapshot: snapshot.name, from: dataset?.origin === version ? version : null };
  }

  /**
   * Receiver: receives one source straight into place (a new dataset appears whole or not at
   * all; zfs-fuse calls a just-received clone busy, so it is not renamed); a source received
   * already is kept (the caller drains the stream).
   */
  async receive(
    subject: PointSubject,
    stream: Readable,
    installation: string | undefined,
  ): Promise<boolean> {
    const target = this.layout.receivedPointSource(subject.pointId, subject.sourceId);
    const point = this.layout.receivedPoint(subject.pointId);
    const usedNow = { [PROPERTY.usedAt]: new Date().toISOString() };
    if (await this.zfs.exists(`${target}@${subject.pointId}`)) {
      // Reused by another job: the unused-point sweep must not take it before the clone.
      await this.zfs.set(point, PROPERTY.usedAt, usedNow[PROPERTY.usedAt]);
      return false;
    }
    const ids = {
      templateId: subject.templateId,
      containerId: subject.containerId,
      branchId: subject.branchId,
      pointId: subject.pointId,
    };
    if (!(await this.zfs.exists(point)))
      await this.zfs.create(point, {
        ...identity('received-point', ids),
        ...usedNow,
        ...(installation === undefined ? {} : { [PROPERTY.installation]: installation }),
      });
    // Without the point's snapshot it is nobody's (not from a receive, which is all or nothing).
    if (await this.zfs.exists(target)) await this.zfs.destroy(target, { recursive: true });
    await this.zfs.receive(target, stream);
    if (!(await this.zfs.exists(`${target}@${subject.pointId}`)))
      throw new AgentFailure(
        400,
        'bad-request',
        `the stream did not hold point ${subject.pointId}`,
      );
    // The sender's records and uid mean nothing here: it is a received point, cloned from later.
    for (const [key, value] of Object.entries(
      identity('received-point-source', { ...ids, sourceId: subject.sourceId }),
    ))
      await this.zfs.set(target, key, value);
    await this.zfs.inherit(target, PROPERTY.uid);
    return true;
  }
}

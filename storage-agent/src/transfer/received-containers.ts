import type { Readable } from 'node:stream';
import type { TransferSubject } from '@branchpoint/contracts';
import { AgentFailure, conflict, notFound } from '../common/agent-failure.js';
import type { KeyedMutex } from '../common/keyed-mutex.js';
import { resourceId, type DatasetLayout } from '../datasets/layout.js';
import type { Zfs } from '../zfs/zfs.js';

type ContainerSubject = Extract<TransferSubject, { kind: 'container' }>;

/**
 * Containers moving to another host: the sender snapshots the whole tree
 * `<root>/containers/<containerId>` at once and streams it with `zfs send -R`, which keeps every
 * branch, generation, point and clone relation (origins outside the tree, the receiver holds
 * already: the same snapshots by guid). Until the control plane has made the container this
 * host's (moved-in), a tree here is a copy in the making: a whole stream replaces it.
 */
export class ReceivedContainers {
  constructor(
    private readonly zfs: Zfs,
    private readonly layout: DatasetLayout,
    private readonly locks: KeyedMutex,
    /** Stops and destroys what an earlier, interrupted move left here. */
    private readonly discard: (containerId: string) => Promise<void>,
  ) {}

  /** Sender: the tree's snapshot `to` (taken now unless a repeat finds it), and every one after `from`. */
  async toSend(
    subject: ContainerSubject,
  ): Promise<{ snapshot: string; from: string | null; intermediates: boolean }> {
    const tree = this.layout.container(subject.containerId);
    const snapshot = `${tree}@${resourceId(subject.to, 'to')}`;
    await this.locks.run(`container:${subject.containerId}`, async () => {
      if (!(await this.zfs.exists(tree)))
        throw notFound(`container ${subject.containerId} is not here`);
      if (!(await this.zfs.exists(snapshot))) await this.zfs.snapshotRecursive(snapshot);
    });
    const from = subject.from === null ? null : `${tree}@${resourceId(subject.from, 'from')}`;
    return { snapshot, from, intermediates: true };
  }

  /** Receiver: the tree whole or the increment; false when it is here already (the caller drains). */
  async receive(subject: ContainerSubject, stream: Readable): Promise<boolean> {
    const tree = this.layout.container(subject.containerId);
    const received = `${tree}@${resourceId(subject.to, 'to')}`;
    if (await this.zfs.exists(received)) return false;
    if (subject.from === null) {
      if (await this.zfs.exists(tree)) await this.discard(subject.containerId);
      await this.zfs.receive(tree, stream);
    } else {
      if (!(await this.zfs.exists(`${tree}@${resourceId(subject.from, 'from')}`)))
        throw conflict(
          `container ${subject.containerId} has no snapshot ${subject.from} here: send it whole`,
        );
      // Mounting counts as a change on zfs-fuse: -F takes each dataset back to `from` first.
      await this.zfs.receive(tree, stream, { force: true });
    }
    if (!(await this.zfs.exists(received)))
      throw new AgentFailure(400, 'bad-request', `the stream did not hold ${subject.to}`);
    return true;
  }
}

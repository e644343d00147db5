import { createHash } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import {
  TRANSFER_GRANT_HEADER,
  TRANSFER_SUBJECT_HEADER,
  type ExpectTransferRequest,
  type SendTransferRequest,
  type TransferStatus,
  type TransferSubject,
} from '@branchpoint/contracts';
import { AgentFailure, conflict, notFound } from '../common/agent-failure.js';
import type { KeyedMutex } from '../common/keyed-mutex.js';
import type { DatasetLayout } from '../datasets/layout.js';
import { currentInstallation } from '../datasets/installation.js';
import { PROPERTY } from '../datasets/properties.js';
import type { OsIdentities } from '../identity/os-identity.js';
import { ensureOwnedBy } from '../identity/ownership.js';
import type { Zfs } from '../zfs/zfs.js';
import { ZfsError } from '../zfs/zfs.errors.js';
import { TransferGrants } from './grants.js';
import { pinnedUpload } from './pinned-upload.js';
import { ReceivedContainers } from './received-containers.js';
import { ReceivedPoints } from './received-points.js';

type TemplateSubject = Extract<TransferSubject, { kind: 'template' }>;

/** A snapshot to send, and the one to send it incrementally from (null: whole). */
interface ToSend {
  snapshot: string;
  from: string | null;
  /** Every snapshot between `from` and `snapshot` too (`-I`). */
  intermediates?: boolean;
}

/** How many finished transfers the sender remembers for GET /v1/transfers/:id. */
const KEPT = 200;

/** A transfer this agent sends: how far it is, and when its stream has ended (either way). */
interface Sent {
  status: TransferStatus;
  ended: Promise<void>;
}

/**
 * Moves a template's datasets, one source of a point, or a whole container to another agent: `zfs send -R` here,
 * streamed over HTTPS (pinned certificate, one-time grant) into `zfs receive` there, piped all
 * the way (never held whole in memory). A whole template stream is received under
 * `<root>/incoming/<templateId>` and renamed into place once complete; an increment is received
 * into the template itself, each dataset of which `zfs receive` changes whole or not at all. A
 * point is received into `<root>/points` (see ReceivedPoints), a container into its place (see
 * ReceivedContainers).
 * A retry after a cut cleans up and repeats.
 */
export class TransferService {
  readonly grants = new TransferGrants();
  private readonly sent = new Map<string, Sent>();
  private readonly points: ReceivedPoints;
  private readonly containers: ReceivedContainers;

  constructor(
    private readonly zfs: Zfs,
    private readonly layout: DatasetLayout,
    private readonly locks: KeyedMutex,
    private readonly identities: OsIdentities,
    discardContainer: (containerId: string) => Promise<void>,
  ) {
    this.points = new ReceivedPoints(zfs, layout);
    this.containers = new ReceivedContainers(zfs, layout, locks, discardContainer);
  }

  /** Receiver: the grant to accept for this transfer (see TransferGrants). */
  expect(transferId: string, request: ExpectTransferRequest): void {
    const { subject } = request;
    if (subject.kind === 'container') this.layout.container(subject.containerId);
    else this.layout.template(subject.templateId);
    this.grants.expect(transferId, request, currentInstallation());
  }

  /** Sender: starts streaming and answers at once; a repeat answers how far it is. */
  async send(transferId: string, request: SendTransferRequest): Promise<TransferStatus> {
    const known = this.sent.get(transferId);
    if (known) return known.status;
    const what = await this.toSend(request.subject);
    const again = this.sent.get(transferId);
    if (again) return again.status;
    const status: TransferStatus = { transferId, state: 'sending', bytes: 0 };
    this.remember(transferId, { status, ended: this.stream(transferId, request, what, status) });
    return status;
  }

  /** The snapshot to send and the one to send it incrementally from (null: whole). */
  private async toSend(subject: TransferSubject): Promise<ToSend> {
    if (subject.kind === 'point') return this.points.toSend(subject);
    if (subject.kind === 'container') return this.containers.toSend(subject);
    return {
      snapshot: this.layout.templateVersion(subject.templateId, subject.to),
      from: subject.from ? this.layout.templateVersion(subject.templateId, subject.from) : null,
    };
  }

  /**
   * Sender: how far a transfer is (404 when this agent sent none of that id). With `waitMs`, a
   * long poll: the answer comes as soon as the transfer has ended, or after that long while it
   * still sends, so a caller learns the end without polling often.
   */
  async status(transferId: string, waitMs = 0): Promise<TransferStatus> {
    const known = this.sent.get(transferId);
    if (!known) throw notFound(`no transfer ${transferId} was sent from here`);
    if (known.status.state === 'sending' && waitMs > 0) await endedOrAfter(known.ended, waitMs);
    return known.status;
  }

  /**
   * Receiver: checks the grant against what the sender says it streams, then receives. The
   * grant is used up even when the receive fails: a retry comes with a new one.
   */
  async receive(
    transferId: string,
    headers: Record<string, string | string[] | undefined>,
    stream: Readable,
  ): Promise<TransferStatus> {
    const { subject, installation } = this.grants.redeem(
      transferId,
      single(headers[TRANSFER_GRANT_HEADER]),
      claimedSubject(headers[TRANSFER_SUBJECT_HEADER]),
    );
    const counted = counter(stream);
    if (subject.kind === 'point') {
      await this.locks.run(`point:${subject.pointId}`, async () => {
        const received = await this.points
          .receive(subject, counted.stream, installation)
          .catch(receiveFailed);
        if (!received) await drain(counted.stream);
      });
      return { transferId, state: 'done', bytes: counted.bytes() };
    }
    if (subject.kind === 'container') {
      const received = await this.containers.receive(subject, counted.stream).catch(receiveFailed);
      if (!received) await drain(counted.stream);
      return { transferId, state: 'done', bytes: counted.bytes() };
    }
    await this.locks.run(`template:${subject.templateId}`, async () => {
      await (subject.from === null
        ? this.receiveWhole(subject, counted.stream)
        : this.receiveIncrement(subject, counted.stream));
      // The template belongs to the control plane that asked for it here, as if it made it.
      if (installation !== undefined)
        await this.zfs.set(
          this.layout.template(subject.templateId),
          PROPERTY.installation,
          installation,
        );
    });
    return { transferId, state: 'done', bytes: counted.bytes() };
  }

  private async stream(
    transferId: string,
    request: SendTransferRequest,
    { snapshot, from, intermediates }: ToSend,
    status: TransferStatus,
  ): Promise<void> {
    try {
      const send = this.zfs.send(snapshot, from, { intermediates });
      const counted = counter(send.stream, (bytes) => (status.bytes = bytes));
      const url = new URL(
        `/v1/transfers/${encodeURIComponent(transferId)}/stream`,
        request.receiver.url,
      );
      const upload = pinnedUpload(
        url,
        request.receiver.fingerprint,
        {
          [TRANSFER_GRANT_HEADER]: request.grant,
          [TRANSFER_SUBJECT_HEADER]: JSON.stringify(request.subject),
        },
        counted.stream,
      );
      // Either side failing ends the other: a refused upload stops the send, and a failed send
      // cuts the upload short, so the receiver sees a broken stream and keeps nothing of it.
      const [answer] = await Promise.all([
        upload.catch((error: unknown) => {
          send.stream.destroy();
          throw error;
        }),
        send.done.catch((error: unknown) => {
          counted.stream.destroy(error as Error);
          throw error;
        }),
      ]);
      if (answer.statusCode !== 200)
        throw new Error(
          `the receiving agent answered ${answer.statusCode}: ${messageOf(answer.body)}`,
        );
      status.state = 'done';
    } catch (error) {
      status.state = 'failed';
      status.error = (error as Error).message;
    }
  }

  private async receiveWhole(subject: TemplateSubject, stream: Readable): Promise<void> {
    const target = this.layout.template(subject.templateId);
    const snapshot = this.layout.templateVersion(subject.templateId, subject.to);
    if (await this.zfs.exists(snapshot)) return drain(stream);
    if (await this.zfs.exists(target))
      throw conflict(
        `template ${subject.templateId} is here already without ${subject.to}: send an increment`,
      );
    // What an earlier, interrupted try left is nobody's: it goes first.
    const incoming = this.layout.incomingTransfer(subject.templateId);
    if (await this.zfs.exists(incoming)) await this.zfs.destroy(incoming, { recursive: true });
    await this.zfs.receive(incoming, stream).catch(receiveFailed);
    if (!(await this.zfs.exists(`${incoming}@${subject.to}`)))
      throw new AgentFailure(400, 'bad-request', `the stream did not hold version ${subject.to}`);
    // The sender's uid means nothing here (another tenant may have it): the template gets its own.
    await this.zfs.inherit(incoming, PROPERTY.uid);
    await this.zfs.rename(incoming, target);
    await this.ownData(subject.templateId, null);
  }

  private async receiveIncrement(subject: TemplateSubject, stream: Readable): Promise<void> {
    const target = this.layout.template(subject.templateId);
    const from = this.layout.templateVersion(subject.templateId, subject.from ?? '');
    if (!(await this.zfs.exists(from)))
      throw conflict(
        `template ${subject.templateId} has no ${subject.from ?? ''} here: send it whole`,
      );
    const missing = await this.lacking(target, subject.to);
    if (missing.length === 0) return drain(stream);
    const uid = await this.zfs.getValue(target, PROPERTY.uid);
    // zfs-fuse counts a mount as a change: each dataset the increment still has to reach goes
    // back to its newest snapshot (`from`), which changes no data.
    for (const dataset of missing) {
      const [newest] = (await this.zfs.snapshotsOldestFirst(dataset)).slice(-1);
      if (newest) await this.zfs.rollback(newest);
    }
    await this.zfs.receive(target, stream).catch(receiveFailed);
    if ((await this.lacking(target, subject.to)).length > 0)
      throw new AgentFailure(
        400,
        'bad-request',
        `the stream did not hold version ${subject.to} of every source`,
      );
    await this.ownData(subject.templateId, uid);
  }

  /** The filesystems at and below `target` that have no snapshot `snapshot`. */
  private async lacking(target: string, snapshot: string): Promise<string[]> {
    const all = await this.zfs.describe(target);
    const names = new Set(all.map((info) => info.name));
    return all
      .filter((info) => info.type === 'filesystem' && !names.has(`${info.name}@${snapshot}`))
      .map((info) => info.name);
  }

  /** The template's uid here (kept, or a new one) on the template and its data directories. */
  private async ownData(templateId: string, uid: string | null): Promise<void> {
    const template = this.layout.template(templateId);
    if (uid !== null) await this.zfs.set(template, PROPERTY.uid, uid);
    else await this.zfs.inherit(template, PROPERTY.uid);
    const owner = await this.identities.template(templateId);
    for (const info of await this.zfs.describe(template, { depth: 1 }))
      if (info.name !== template && info.type === 'filesystem' && info.mounted && info.mountpoint)
        await ensureOwnedBy(info.mountpoint, owner);
  }

  private remember(transferId: string, sent: Sent): void {
    this.sent.set(transferId, sent);
    for (const id of this.sent.keys()) {
      if (this.sent.size <= KEPT) break;
      if (this.sent.get(id)?.status.state !== 'sending') this.sent.delete(id);
    }
  }
}

/** Waits until `ended` settles or `ms` have passed, whichever comes first. */
async function endedOrAfter(ended: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  await Promise.race([ended, elapsed]);
  clearTimeout(timer);
}

/** A pass-through that counts the bytes going by (and reports each new total). */
function counter(
  input: Readable,
  onBytes: (bytes: number) => void = () => undefined,
): { stream: PassThrough; bytes: () => number } {
  let bytes = 0;
  // 4 MiB in flight, not 16 KiB: zfs and the TLS socket each pause less for the other (a whole
  // scale-40 template went over in 2.5 s instead of 3.0-3.3 s on this machine).
  const stream = new PassThrough({ highWaterMark: 4 << 20 });
  input.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    onBytes(bytes);
  });
  input.once('error', (error) => stream.destroy(error));
  input.pipe(stream);
  return { stream, bytes: () => bytes };
}

function drain(stream: Readable): Promise<void> {
  return new Promise((resolve) => {
    stream
      .once('end', resolve)
      .once('error', () => resolve())
      .resume();
  });
}

function receiveFailed(error: unknown): never {
  if (error instanceof ZfsError)
    throw new AgentFailure(400, 'bad-request', `zfs receive refused the stream: ${error.message}`);
  throw error;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? undefined : value;
}

function claimedSubject(value: string | string[] | undefined): TransferSubject {
  const text = single(value);
  try {
    const parsed = text ? (JSON.parse(text) as TransferSubject) : null;
    if (parsed && typeof parsed === 'object') return parsed;
  } catch {
    // named below
  }
  throw new AgentFailure(
    400,
    'bad-request',
    `header ${TRANSFER_SUBJECT_HEADER} must name the transfer's subject as JSON`,
  );
}

function messageOf(body: string): string {
  try {
    return String((JSON.parse(body) as { message?: unknown }).message ?? body);
  } catch {
    return body.slice(0, 500);
  }
}

/** For tests and the control plane's docs: the grant's hash as PUT /v1/transfers/:id wants it. */
export const grantSha256 = (grant: string) => createHash('sha256').update(grant).digest('hex');

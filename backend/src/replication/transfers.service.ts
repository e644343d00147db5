import { Injectable } from '@nestjs/common';
import type { TransferStatus, TransferSubject } from '@branchpoint/contracts';
import { randomBytes, randomUUID, createHash } from 'node:crypto';
import type { AgentClient } from '../agents/agent.client.js';
import { AgentsService } from '../agents/agents.service.js';
import { BadInputException } from '../common/app.exception.js';
import type { Host } from '../database/entities/host.entity.js';

/** How long the receiver accepts a grant: enough to connect, not to keep a spare one around. */
const GRANT_VALID_MS = 2 * 60_000;
/**
 * How long one status call waits for the transfer to end (a long poll on the sending agent: the
 * end is known at once, and the progress is updated this often while it sends).
 */
const POLL_MS = 1_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Where a transfer reports to: the job running it. */
export interface StepLog {
  progress(percent: number): Promise<void>;
  log(...lines: string[]): Promise<void>;
}

export function formatBytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * Streams datasets from one host's agent to another's: the control plane issues a one-time
 * grant for exactly this subject (the receiver gets only its hash), the sending agent streams
 * `zfs send` to the receiving agent over HTTPS, pinning the certificate the control plane
 * pinned for that host. The data never passes through the control plane.
 */
@Injectable()
export class TransfersService {
  constructor(private readonly agents: AgentsService) {}

  /**
   * Sends `subject` from `source` to `target`, telling `step` how far it is (the total is not
   * known up front: progress creeps towards 95 %, a log line every 256 MiB). Answers the last status.
   */
  async transfer(
    source: Host,
    target: Host,
    subject: TransferSubject,
    step: StepLog,
  ): Promise<TransferStatus> {
    if (!target.certificateFingerprint)
      throw new Error(
        `host ${target.name} has no pinned certificate: register its agent again to receive transfers`,
      );
    // A new id and grant each time: a repeated step never meets a used grant.
    const transferId = randomUUID();
    const grant = randomBytes(32).toString('base64url');
    await this.agents.client(target).expectTransfer(transferId, {
      subject,
      grantSha256: createHash('sha256').update(grant).digest('hex'),
      validForMs: GRANT_VALID_MS,
    });
    const sender = this.agents.client(source);
    let status = await sender.sendTransfer(transferId, {
      subject,
      grant,
      receiver: { url: new URL(target.url).origin, fingerprint: target.certificateFingerprint },
    });
    let lastLogged = 0;
    while (status.state === 'sending') {
      status = await nextStatus(sender, transferId);
      await step.progress(Math.min(95, 95 * (1 - 1 / (1 + status.bytes / 256e6))));
      if (status.bytes - lastLogged >= 256 * 1024 * 1024) {
        lastLogged = status.bytes;
        await step.log(`${formatBytes(status.bytes)} sent`);
      }
    }
    if (status.state === 'failed')
      throw new Error(
        `sending to host ${target.name} failed after ${status.bytes} bytes: ${status.error ?? 'unknown error'}`,
      );
    return status;
  }
}

/**
 * The transfer's status once it has ended, or after POLL_MS while it still sends. An agent from
 * before long polls refuses the query (400): it is asked plainly and the rest of the interval is
 * waited here, so a control plane upgraded first keeps working with it.
 */
async function nextStatus(sender: AgentClient, transferId: string): Promise<TransferStatus> {
  const asked = Date.now();
  const status = await sender.transfer(transferId, POLL_MS).catch((error: unknown) => {
    if (!(error instanceof BadInputException)) throw error;
    return sender.transfer(transferId);
  });
  const rest = POLL_MS - (Date.now() - asked);
  if (status.state === 'sending' && rest > 0) await sleep(rest);
  return status;
}

import { createHash, timingSafeEqual } from 'node:crypto';
import type { ExpectTransferRequest, TransferSubject } from '@branchpoint/contracts';
import { AgentFailure, conflict } from '../common/agent-failure.js';

interface Expected {
  grantSha256: Buffer;
  subject: TransferSubject;
  expiresAt: number;
  used: boolean;
  /** The control plane that asked for the transfer: what it receives is that installation's. */
  installation: string | undefined;
}

/** What a redeemed grant allows: the subject to receive, for the installation that asked. */
export interface Redeemed {
  subject: TransferSubject;
  installation: string | undefined;
}

const refused = (message: string) => new AgentFailure(401, 'unauthorized', message);

/**
 * The one-time grants this agent, as a receiver, accepts streams with. The control plane gives
 * only the grant's SHA-256 and what it carries (PUT /v1/transfers/:id); the sending agent
 * presents the grant itself. A grant is accepted once, before it expires, for its transfer id
 * and subject only. Kept in memory: an agent that restarts refuses the grants it had, and the
 * control plane's retry asks for new ones.
 */
export class TransferGrants {
  private readonly expected = new Map<string, Expected>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Records the grant to expect; repeating the same call changes nothing, another grant is 409. */
  expect(
    transferId: string,
    request: ExpectTransferRequest,
    installation: string | undefined = undefined,
  ): void {
    this.forgetExpired();
    const grantSha256 = Buffer.from(request.grantSha256, 'hex');
    const known = this.expected.get(transferId);
    if (known) {
      if (!known.grantSha256.equals(grantSha256) || !sameSubject(known.subject, request.subject))
        throw conflict(`transfer ${transferId} already expects another grant`);
      return;
    }
    this.expected.set(transferId, {
      grantSha256,
      subject: request.subject,
      expiresAt: this.now() + request.validForMs,
      used: false,
      installation,
    });
  }

  /**
   * The subject the presented grant allows, which the caller receives: refused (401) when no
   * grant is expected for the transfer, the grant is wrong, expired, already used, or was made
   * for another subject than the sender claims. Used up by this call.
   */
  redeem(transferId: string, presented: string | undefined, claimed: TransferSubject): Redeemed {
    const known = this.expected.get(transferId);
    if (!known) throw refused(`no transfer ${transferId} is expected here`);
    if (!presented || !timingSafeEqual(sha256(presented), known.grantSha256))
      throw refused(`wrong grant for transfer ${transferId}`);
    if (known.used) throw refused(`the grant of transfer ${transferId} was already used`);
    if (this.now() >= known.expiresAt) {
      this.expected.delete(transferId);
      throw refused(`the grant of transfer ${transferId} expired`);
    }
    if (!sameSubject(known.subject, claimed))
      throw refused(`the grant of transfer ${transferId} is for another dataset or version`);
    known.used = true;
    return { subject: known.subject, installation: known.installation };
  }

  private forgetExpired(): void {
    const now = this.now();
    for (const [id, grant] of this.expected) if (now >= grant.expiresAt) this.expected.delete(id);
  }
}

const sha256 = (value: string) => createHash('sha256').update(value).digest();

function sameSubject(a: TransferSubject, b: TransferSubject): boolean {
  return canonical(a) === canonical(b);
}

/** The subject's fields in a fixed order (a claim parsed from JSON may list them in any). */
const canonical = (subject: TransferSubject) =>
  JSON.stringify(Object.entries(subject).sort(([x], [y]) => x.localeCompare(y)));

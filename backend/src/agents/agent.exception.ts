import type { AgentErrorCode } from '@branchpoint/contracts';
import {
  AppException,
  BadInputException,
  ConflictException,
  AgentUnavailableException,
} from '../common/app.exception.js';

/** The agent failed on its side (ingest, instance start, internal error). */
export class AgentFailedException extends AppException {
  constructor(message: string) {
    super('agent.failed', message);
  }
}

/**
 * The agent did not answer. The message names the host and the call, for everyone who sees the
 * job or the answer; `detail` adds the agent's address and the network error, which only
 * admins see (the host's `lastError`).
 */
export class AgentUnreachableException extends AgentUnavailableException {
  constructor(
    message: string,
    readonly detail: string,
  ) {
    super(message);
  }
}

/**
 * The host is down or cut off (as its background health check last found it): operations on
 * what it serves are refused at once rather than left to hang on its agent.
 */
export class HostUnavailableException extends AgentUnavailableException {
  constructor(hostName: string) {
    super(
      `host "${hostName}" is down or unreachable; what it serves is unavailable until it is back`,
      'host.unavailable',
    );
  }
}

/** The agent does not know the resource a call named. */
export class AgentResourceMissingException extends AppException {
  constructor(message: string) {
    super('agent.not-found', message);
  }
}

/**
 * The agent presented a certificate other than the pinned one (or the host has no pin yet):
 * the call is refused before anything, the token included, is sent.
 */
export class AgentCertificateChangedException extends AgentUnavailableException {
  constructor(
    readonly expected: string | null,
    readonly presented: string | null,
  ) {
    super(
      expected === null
        ? `agent certificate not pinned: got ${presented ?? 'no certificate'}; set the host's fingerprint`
        : `agent certificate changed: expected ${expected}, got ${presented ?? 'no certificate'}`,
      'agent.certificate-changed',
    );
  }
}

/** Maps an agent's error code to the control plane's typed exceptions. */
export function agentException(
  code: AgentErrorCode | undefined,
  message: string,
  status: number,
): AppException {
  switch (code) {
    case 'has-dependents':
    case 'held':
    case 'busy':
    case 'conflict':
      return new ConflictException('agent.refused', message);
    case 'foreign-installation':
      return new ConflictException('agent.foreign-installation', message);
    case 'bad-request':
      return new BadInputException('agent.rejected-input', message);
    case 'not-found':
      return new AgentResourceMissingException(message);
    case 'unauthorized':
      return new AgentUnavailableException(`storage agent rejected the host token: ${message}`);
    default:
      return status === 409
        ? new ConflictException('agent.refused', message)
        : new AgentFailedException(`storage agent failed: ${message}`);
  }
}

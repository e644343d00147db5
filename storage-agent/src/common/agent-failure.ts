import type { AgentErrorCode } from '@branchpoint/contracts';

/** A failure the agent reports to its caller as `{statusCode, code, message}`. */
export class AgentFailure extends Error {
  /** The output of the hooks the failing call ran (see failedWithLog). */
  hookLog?: string[];

  constructor(
    readonly statusCode: number,
    readonly code: AgentErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AgentFailure';
  }
}

export const badRequest = (message: string) => new AgentFailure(400, 'bad-request', message);
export const notFound = (message: string) => new AgentFailure(404, 'not-found', message);
export const conflict = (message: string) => new AgentFailure(409, 'conflict', message);
export const held = (message: string) => new AgentFailure(409, 'held', message);

export function hasDependents(what: string, dependents: string[]): AgentFailure {
  return new AgentFailure(
    409,
    'has-dependents',
    `${what} has dependent clones: ${dependents.join(', ')}`,
  );
}

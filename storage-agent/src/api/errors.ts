import type { AgentError } from '@branchpoint/contracts';
import { AgentFailure } from '../common/agent-failure.js';
import {
  ZfsBusyError,
  ZfsError,
  ZfsExistsError,
  ZfsHasDependentsError,
  ZfsHeldError,
  ZfsNotFoundError,
} from '../zfs/zfs.errors.js';

/** The one place failures become HTTP answers `{statusCode, code, message, hookLog?}`. */
export function toAgentError(error: unknown): AgentError {
  if (error instanceof AgentFailure)
    return {
      statusCode: error.statusCode,
      code: error.code,
      message: error.message,
      ...(error.hookLog ? { hookLog: error.hookLog } : {}),
    };
  if (error instanceof ZfsHasDependentsError) {
    return {
      statusCode: 409,
      code: 'has-dependents',
      message: `${error.message}${error.dependents.length ? ` (${error.dependents.join(', ')})` : ''}`,
    };
  }
  if (error instanceof ZfsNotFoundError)
    return { statusCode: 404, code: 'not-found', message: error.message };
  if (error instanceof ZfsHeldError)
    return { statusCode: 409, code: 'held', message: error.message };
  if (error instanceof ZfsBusyError)
    return { statusCode: 409, code: 'busy', message: error.message };
  if (error instanceof ZfsExistsError)
    return { statusCode: 409, code: 'conflict', message: error.message };
  if (error instanceof ZfsError)
    return { statusCode: 500, code: 'internal', message: error.message };
  // Fastify's own 4xx (malformed JSON, unsupported media type, body too large).
  const statusCode = (error as { statusCode?: number }).statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return {
      statusCode,
      code: statusCode === 401 ? 'unauthorized' : 'bad-request',
      message: (error as Error).message,
    };
  }
  return {
    statusCode: 500,
    code: 'internal',
    message: error instanceof Error ? error.message : String(error),
  };
}

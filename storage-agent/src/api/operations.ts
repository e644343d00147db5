import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { badRequest } from '../common/agent-failure.js';

/** The header the control plane names each call's operation with. */
export const OPERATION_HEADER = 'x-operation-id';
const OPERATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const MUTATING = new Set(['PUT', 'POST', 'PATCH', 'DELETE']);

interface Answer {
  statusCode: number;
  contentType: string | undefined;
  payload: string;
}

interface Finished {
  answer: Answer;
  at: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The key of the operation this request runs (not joined nor replayed), if any. */
    operationKey?: string;
  }
}

export interface OperationOptions {
  /** How long a finished call's answer is replayed. */
  ttlMs?: number;
  /** How many finished answers are kept at most (the oldest go first). */
  maxAnswers?: number;
  now?: () => number;
}

/**
 * Calls named by an operation id (`x-operation-id`): a repeat of the same call (id, method, URL
 * and body) while the first runs waits for it and gets its answer, and a repeat within `ttlMs`
 * after it succeeded gets that answer replayed, so a call whose answer was lost in transit does
 * not run twice. Failures are not kept: a repeat runs again (every call is idempotent anyway).
 * The control plane sends one id per job attempt, so the same id on a different call is that
 * attempt's next call and simply runs.
 */
export function registerOperations(app: FastifyInstance, options: OperationOptions = {}): void {
  const ttlMs = options.ttlMs ?? 15 * 60_000;
  const maxAnswers = options.maxAnswers ?? 2000;
  const now = options.now ?? Date.now;
  const running = new Map<string, Promise<Answer>>();
  const settle = new Map<string, (answer: Answer) => void>();
  // Insertion order is finishing order: the oldest answers are first.
  const finished = new Map<string, Finished>();

  const forget = () => {
    for (const [key, entry] of finished) {
      if (finished.size <= maxAnswers && now() - entry.at < ttlMs) break;
      finished.delete(key);
    }
  };

  app.addHook('preHandler', async (request, reply) => {
    const id = operationIdOf(request);
    if (id === undefined) return;
    // Warnings and failures of the call name its operation.
    request.log = request.log.child({ operationId: id });
    if (!MUTATING.has(request.method)) return;
    const key = operationKey(id, request);
    forget();
    const done = finished.get(key)?.answer;
    if (done) return send(reply, done);
    const first = running.get(key);
    if (first) return send(reply, await first);
    running.set(key, new Promise((resolve) => settle.set(key, resolve)));
    request.operationKey = key;
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const key = request.operationKey;
    if (key === undefined) return payload;
    const answer: Answer = {
      statusCode: reply.statusCode,
      contentType: reply.getHeader('content-type')?.toString(),
      payload: typeof payload === 'string' ? payload : '',
    };
    settle.get(key)?.(answer);
    settle.delete(key);
    running.delete(key);
    if (answer.statusCode < 300) {
      finished.set(key, { answer, at: now() });
      forget();
    }
    return payload;
  });
}

/** The request's operation id, checked (400 naming the header); undefined without one. */
function operationIdOf(request: FastifyRequest): string | undefined {
  const value = request.headers[OPERATION_HEADER];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !OPERATION_ID.test(value))
    throw badRequest(
      `header ${OPERATION_HEADER} must be 1 to 128 of A-Z a-z 0-9 . _ : - (got ${JSON.stringify(value).slice(0, 80)})`,
    );
  return value;
}

function operationKey(id: string, request: FastifyRequest): string {
  const body = createHash('sha256')
    .update(JSON.stringify(request.body ?? null))
    .digest('hex');
  return `${id} ${request.method} ${request.url} ${body}`;
}

function send(reply: FastifyReply, answer: Answer): FastifyReply {
  if (answer.contentType) void reply.header('content-type', answer.contentType);
  return reply.code(answer.statusCode).send(answer.payload || undefined);
}

import type {
  AnyAgentRoute,
  RouteAnswer,
  RouteBody,
  RouteParams,
  RouteQuery,
} from '@branchpoint/contracts/agent-api';
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { badRequest } from '../common/agent-failure.js';
import { withStepTimes } from '../common/step-times.js';
import { asInstallation } from '../datasets/installation.js';
import { withCallReads } from '../zfs/call-reads.js';

/** The answer's header with the call's total and per-step durations (`612ms: postgres stop 1x 301ms, …`). */
export const STEP_TIMES_HEADER = 'x-branchpoint-step-times';

/** What a handler gets: the route's params, query and body, validated by its schemas. */
export interface RouteInput<R extends AnyAgentRoute> {
  params: RouteParams<R>;
  query: RouteQuery<R>;
  body: RouteBody<R>;
}

/**
 * Registers a route of the agent API (libs/contracts agent-api) with the handler that serves it:
 * the method and path come from the contract, and so do the checks of params, query and body. A
 * handler that answers nothing answers 204. The handler runs as the calling installation's.
 */
export function serve<R extends AnyAgentRoute>(
  app: FastifyInstance,
  route: R,
  handler: (input: RouteInput<R>) => Promise<RouteAnswer<R>>,
): void {
  app.route({
    method: route.method,
    url: route.pattern,
    handler: async (request, reply) => {
      const input = {
        params: parse(route.params, request.params, 'params'),
        query: route.query ? parse(route.query, request.query, 'query') : undefined,
        body: route.body ? parse(route.body, request.body, 'body') : undefined,
      } as RouteInput<R>;
      // What the call creates carries the caller's installation id (see InstallationGuard);
      // how long its steps took goes with the answer (and to the log with BP_AGENT_STEP_LOG);
      // its zfs reads are made once while nothing changes (see call-reads).
      const { result: answer, summary } = await withStepTimes(
        `${route.method} ${request.url.split('?')[0] ?? ''}`,
        () => withCallReads(() => asInstallation(request.installation, () => handler(input))),
      );
      void reply.header(STEP_TIMES_HEADER, summary);
      return answer === undefined ? reply.code(204).send() : reply.code(200).send(answer);
    },
  });
}

/** Parses or throws a 400 naming the field and the problem. */
export function parse<T>(
  schema: z.ZodType<T, unknown>,
  value: unknown,
  where: 'params' | 'query' | 'body',
): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.length > 0 ? `${where}.${issue.path.join('.')}` : where;
    const keys = 'keys' in issue && Array.isArray(issue.keys) ? ` (${issue.keys.join(', ')})` : '';
    return `${field}: ${issue.message}${keys}`;
  });
  throw badRequest(problems.join('; '));
}

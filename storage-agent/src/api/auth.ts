import { createHash, timingSafeEqual } from 'node:crypto';
import { agentRoutes } from '@branchpoint/contracts/agent-api';
import type { FastifyInstance } from 'fastify';
import { AgentFailure } from '../common/agent-failure.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Every route but `GET /v1/health` and the transfer stream (another agent's call, authenticated
 * by its one-time grant) needs `Authorization: Bearer <token>`, compared in constant time.
 */
export function registerBearerAuth(app: FastifyInstance, token: string): void {
  const expected = digest(token);
  app.addHook('onRequest', async (request) => {
    const { health, receiveTransfer } = agentRoutes;
    if (request.method === health.method && request.url.split('?')[0] === health.pattern) return;
    if (
      request.method === receiveTransfer.method &&
      request.routeOptions.url === receiveTransfer.pattern
    )
      return;
    const header = request.headers.authorization ?? '';
    const presented = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    if (!presented || !timingSafeEqual(digest(presented), expected)) {
      throw new AgentFailure(401, 'unauthorized', 'missing or wrong bearer token');
    }
  });
}

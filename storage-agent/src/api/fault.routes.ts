import { agentRoutes as r } from '@branchpoint/contracts/agent-api';
import type { FastifyInstance } from 'fastify';
import { armFault } from '../common/fault-point.js';
import { serve } from './serve.js';

/** Test-only (BP_FAULT_INJECTION=on): arm a step at which the agent kills itself, or disarm. */
export function faultRoutes(app: FastifyInstance): void {
  serve(app, r.armFault, async ({ body }) => armFault(body.step));
  serve(app, r.disarmFault, async () => armFault(null));
}

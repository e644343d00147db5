import { AGENT_FAULT_STEPS } from '@branchpoint/contracts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { armFault } from '../common/fault-point.js';
import { EmptyBody, EmptyQuery, parse } from './schemas.js';

const FaultBody = z.strictObject({ step: z.enum(AGENT_FAULT_STEPS) });

/** Test-only (BP_FAULT_INJECTION=on): arm a step at which the agent kills itself, or disarm. */
export function faultRoutes(app: FastifyInstance): void {
  app.put('/v1/test/fault', async (request, reply) => {
    parse(EmptyQuery, request.query, 'query');
    armFault(parse(FaultBody, request.body, 'body').step);
    return reply.code(204).send();
  });

  app.delete('/v1/test/fault', async (request, reply) => {
    parse(EmptyQuery, request.query, 'query');
    parse(EmptyBody, request.body, 'body');
    armFault(null);
    return reply.code(204).send();
  });
}

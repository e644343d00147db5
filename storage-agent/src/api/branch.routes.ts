import type { RestoreResult } from '@branchpoint/contracts';
import type { FastifyInstance } from 'fastify';
import type { BranchService } from '../containers/branch.service.js';
import {
  BranchParams,
  CreateBranchBody,
  DeferQuery,
  EmptyBody,
  EmptyQuery,
  GenerationParams,
  PointParams,
  RestoreBody,
  parse,
} from './schemas.js';

export function branchRoutes(app: FastifyInstance, branches: BranchService): void {
  const B = '/v1/containers/:containerId/branches/:branchId';

  app.put(B, async (request, reply) => {
    const { containerId, branchId } = parse(BranchParams, request.params, 'params');
    parse(EmptyQuery, request.query, 'query');
    await branches.create(
      containerId,
      branchId,
      parse(CreateBranchBody, request.body, 'body').origin,
    );
    return reply.code(200).send({ containerId, branchId });
  });

  app.delete(B, async (request, reply) => {
    const { containerId, branchId } = parse(BranchParams, request.params, 'params');
    parse(EmptyQuery, request.query, 'query');
    parse(EmptyBody, request.body, 'body');
    await branches.delete(containerId, branchId);
    return reply.code(204).send();
  });

  app.put(`${B}/points/:pointId`, async (request) => {
    const { containerId, branchId, pointId } = parse(PointParams, request.params, 'params');
    parse(EmptyQuery, request.query, 'query');
    parse(EmptyBody, request.body, 'body');
    return branches.createPoint(containerId, branchId, pointId);
  });

  app.get(`${B}/points/:pointId`, async (request) => {
    const { containerId, branchId, pointId } = parse(PointParams, request.params, 'params');
    parse(EmptyQuery, request.query, 'query');
    return branches.getPoint(containerId, branchId, pointId);
  });

  app.delete(`${B}/points/:pointId`, async (request, reply) => {
    const { containerId, branchId, pointId } = parse(PointParams, request.params, 'params');
    const { defer } = parse(DeferQuery, request.query, 'query');
    parse(EmptyBody, request.body, 'body');
    await branches.deletePoint(containerId, branchId, pointId, defer === 'true');
    return reply.code(204).send();
  });

  app.put(`${B}/generations/:generationId`, async (request, reply) => {
    const { containerId, branchId, generationId } = parse(
      GenerationParams,
      request.params,
      'params',
    );
    parse(EmptyQuery, request.query, 'query');
    const output = await branches.restore(
      containerId,
      branchId,
      generationId,
      parse(RestoreBody, request.body, 'body'),
    );
    const answer: RestoreResult = { containerId, branchId, generationId, ...output };
    return reply.code(200).send(answer);
  });

  app.post(`${B}/reset`, async (request) => {
    const { containerId, branchId } = parse(BranchParams, request.params, 'params');
    parse(EmptyQuery, request.query, 'query');
    parse(EmptyBody, request.body, 'body');
    return branches.reset(containerId, branchId);
  });
}

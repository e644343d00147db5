import { agentRoutes as r } from '@branchpoint/contracts/agent-api';
import type { FastifyInstance } from 'fastify';
import type { BranchService } from '../containers/branch.service.js';
import { serve } from './serve.js';

export function branchRoutes(app: FastifyInstance, branches: BranchService): void {
  serve(app, r.createBranch, async ({ params: { containerId, branchId }, body }) => {
    await branches.create(containerId, branchId, body.origin, body.firstPointId);
    return { containerId, branchId };
  });
  serve(app, r.deleteBranch, ({ params }) => branches.delete(params.containerId, params.branchId));
  serve(app, r.createPoint, ({ params: { containerId, branchId, pointId }, body }) =>
    branches.createPoint(containerId, branchId, pointId, body?.holdTag),
  );
  serve(app, r.point, ({ params: { containerId, branchId, pointId } }) =>
    branches.getPoint(containerId, branchId, pointId),
  );
  serve(app, r.deletePoint, ({ params: { containerId, branchId, pointId }, query }) =>
    branches.deletePoint(containerId, branchId, pointId, query.defer === 'true'),
  );
  serve(app, r.restore, async ({ params: { containerId, branchId, generationId }, body }) => {
    const output = await branches.restore(containerId, branchId, generationId, body);
    return { containerId, branchId, generationId, ...output };
  });
  serve(app, r.reset, ({ params }) => branches.reset(params.containerId, params.branchId));
}

import { agentRoutes as r } from '@branchpoint/contracts/agent-api';
import type { FastifyInstance } from 'fastify';
import type { Agent } from '../agent.js';
import { currentInstallation } from '../datasets/installation.js';
import { serve } from './serve.js';

export function systemRoutes(
  app: FastifyInstance,
  { inventory, branches, certificates, catalog, installations }: Agent,
): void {
  serve(app, r.health, async () => ({ ok: true }));
  serve(app, r.capacity, () => inventory.capacity());
  serve(app, r.cloneCa, () => certificates.authority());
  serve(app, r.inventory, () => inventory.inventory());
  serve(app, r.hold, async ({ params: { holdTag }, body: { containerId, branchId, pointId } }) => {
    await branches.hold(holdTag, containerId, branchId, pointId);
    return { holdTag, containerId, branchId, pointId };
  });
  serve(app, r.release, ({ params: { holdTag }, query: { containerId, branchId, pointId } }) =>
    branches.release(holdTag, containerId, branchId, pointId),
  );
  serve(app, r.claim, ({ body }) => installations.claim(currentInstallation(), body));
  serve(app, r.putCatalogRecord, ({ body }) => catalog.put(body.target, body.record));
}

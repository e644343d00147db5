import { agentRoutes as r } from '@branchpoint/contracts/agent-api';
import type { FastifyInstance } from 'fastify';
import type { BranchService } from '../containers/branch.service.js';
import type { CatalogRecords } from '../inventory/catalog-records.js';
import type { InventoryService } from '../inventory/inventory.service.js';
import type { CloneCertificates } from '../tls/clone-certificates.js';
import { serve } from './serve.js';

export function systemRoutes(
  app: FastifyInstance,
  inventory: InventoryService,
  branches: BranchService,
  certificates: CloneCertificates,
  catalog: CatalogRecords,
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
  serve(app, r.putCatalogRecord, ({ body }) => catalog.put(body.target, body.record));
}

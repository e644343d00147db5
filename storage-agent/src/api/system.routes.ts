import type { FastifyInstance } from 'fastify';
import type { BranchService } from '../containers/branch.service.js';
import type { CatalogRecords } from '../inventory/catalog-records.js';
import type { InventoryService } from '../inventory/inventory.service.js';
import type { CloneCertificates } from '../tls/clone-certificates.js';
import { CatalogBody, EmptyBody, EmptyQuery, HoldBody, HoldParams, parse } from './schemas.js';

export function systemRoutes(
  app: FastifyInstance,
  inventory: InventoryService,
  branches: BranchService,
  certificates: CloneCertificates,
  catalog: CatalogRecords,
): void {
  app.get('/v1/health', async () => ({ ok: true }));

  app.get('/v1/capacity', async (request) => {
    parse(EmptyQuery, request.query, 'query');
    return inventory.capacity();
  });

  app.get('/v1/tls/ca', async (request) => {
    parse(EmptyQuery, request.query, 'query');
    return certificates.authority();
  });

  app.get('/v1/inventory', async (request) => {
    parse(EmptyQuery, request.query, 'query');
    return inventory.inventory();
  });

  app.put('/v1/holds/:holdTag', async (request, reply) => {
    const { holdTag } = parse(HoldParams, request.params, 'params');
    parse(EmptyQuery, request.query, 'query');
    const { containerId, branchId, pointId } = parse(HoldBody, request.body, 'body');
    await branches.hold(holdTag, containerId, branchId, pointId);
    return reply.code(200).send({ holdTag, containerId, branchId, pointId });
  });

  app.delete('/v1/holds/:holdTag', async (request, reply) => {
    const { holdTag } = parse(HoldParams, request.params, 'params');
    const { containerId, branchId, pointId } = parse(HoldBody, request.query, 'query');
    parse(EmptyBody, request.body, 'body');
    await branches.release(holdTag, containerId, branchId, pointId);
    return reply.code(204).send();
  });

  app.put('/v1/catalog', async (request, reply) => {
    parse(EmptyQuery, request.query, 'query');
    const { target, record } = parse(CatalogBody, request.body, 'body');
    await catalog.put(target, record);
    return reply.code(204).send();
  });
}

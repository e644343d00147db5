import { agentRoutes as r } from '@branchpoint/contracts/agent-api';
import type { FastifyInstance } from 'fastify';
import type { ContainerMoves } from '../containers/container-moves.js';
import type { ContainerService } from '../containers/container.service.js';
import { serve } from './serve.js';

export function containerRoutes(
  app: FastifyInstance,
  containers: ContainerService,
  moves: ContainerMoves,
): void {
  serve(app, r.createContainer, ({ params, body }) => containers.create(params.containerId, body));
  serve(app, r.container, ({ params }) => containers.status(params.containerId));
  serve(app, r.deleteContainer, ({ params }) => containers.delete(params.containerId));
  serve(app, r.activate, ({ params, body }) =>
    containers.activate(params.containerId, body.branchId),
  );
  serve(app, r.origins, ({ params }) => moves.origins(params.containerId));
  serve(app, r.movedIn, ({ params, body }) => moves.movedIn(params.containerId, body));
  serve(app, r.activity, ({ params }) => containers.activity(params.containerId));
  serve(app, r.startContainer, ({ params }) => containers.start(params.containerId));
  serve(app, r.stopContainer, ({ params }) => containers.stop(params.containerId));
  serve(app, r.setPassword, ({ params, body }) =>
    containers.setPassword(params.containerId, body.password),
  );
  serve(app, r.settings, ({ params }) => containers.settings(params.containerId));
  serve(app, r.updateSettings, ({ params, body }) =>
    containers.updateSettings(params.containerId, body),
  );
}

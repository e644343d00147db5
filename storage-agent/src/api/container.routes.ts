import type { FastifyInstance } from 'fastify';
import type { ContainerService } from '../containers/container.service.js';
import {
  ActivateBody,
  ContainerParams,
  ContainerPasswordBody,
  CreateContainerBody,
  EmptyBody,
  EmptyQuery,
  ServerSettingsBody,
  parse,
} from './schemas.js';

export function containerRoutes(app: FastifyInstance, containers: ContainerService): void {
  const C = '/v1/containers/:containerId';

  app.put(C, async (request) => {
    const { containerId } = parse(ContainerParams, request.params, 'params');
    parse(EmptyQuery, request.query, 'query');
    return containers.create(containerId, parse(CreateContainerBody, request.body, 'body'));
  });

  app.get(C, async (request) => {
    const { containerId } = parse(ContainerParams, request.params, 'params');
    parse(EmptyQuery, request.query, 'query');
    return containers.status(containerId);
  });

  app.delete(C, async (request, reply) => {
    const { containerId } = parse(ContainerParams, request.params, 'params');
    parse(EmptyQuery, request.query, 'query');
    parse(EmptyBody, request.body, 'body');
    await containers.delete(containerId);
    return reply.code(204).send();
  });

  app.put(`${C}/active`, async (request) => {
    const { containerId } = parse(ContainerParams, request.params, 'params');
    parse(EmptyQuery, request.query, 'query');
    return containers.activate(containerId, parse(ActivateBody, request.body, 'body').branchId);
  });

  app.get(`${C}/activity`, async (request) => {
    const { containerId } = parse(ContainerParams, request.params, 'params');
    parse(EmptyQuery, request.query, 'query');
    return containers.activity(containerId);
  });

  app.post(`${C}/start`, async (request) => {
    const { containerId } = parse(ContainerParams, request.params, 'params');
    parse(EmptyQuery, request.query, 'query');
    parse(EmptyBody, request.body, 'body');
    return containers.start(containerId);
  });

  app.post(`${C}/stop`, async (request) => {
    const { containerId } = parse(ContainerParams, request.params, 'params');
    parse(EmptyQuery, request.query, 'query');
    parse(EmptyBody, request.body, 'body');
    return containers.stop(containerId);
  });

  app.put(`${C}/password`, async (request) => {
    const { containerId } = parse(ContainerParams, request.params, 'params');
    parse(EmptyQuery, request.query, 'query');
    const { password } = parse(ContainerPasswordBody, request.body, 'body');
    return containers.setPassword(containerId, password);
  });

  app.get(`${C}/settings`, async (request) => {
    const { containerId } = parse(ContainerParams, request.params, 'params');
    parse(EmptyQuery, request.query, 'query');
    return containers.settings(containerId);
  });

  app.patch(`${C}/settings`, async (request) => {
    const { containerId } = parse(ContainerParams, request.params, 'params');
    parse(EmptyQuery, request.query, 'query');
    return containers.updateSettings(containerId, parse(ServerSettingsBody, request.body, 'body'));
  });
}

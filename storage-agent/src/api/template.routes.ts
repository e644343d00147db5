import type { FastifyInstance } from 'fastify';
import type { TemplateService } from '../templates/template.service.js';
import {
  DeferQuery,
  EmptyBody,
  EmptyQuery,
  IngestBody,
  TemplateParams,
  VersionParams,
  parse,
} from './schemas.js';

export function templateRoutes(app: FastifyInstance, templates: TemplateService): void {
  app.put('/v1/templates/:templateId/versions/:version', async (request) => {
    const { templateId, version } = parse(VersionParams, request.params, 'params');
    parse(EmptyQuery, request.query, 'query');
    return templates.ingestVersion(templateId, version, parse(IngestBody, request.body, 'body'));
  });

  app.get('/v1/templates/:templateId/versions/:version', async (request) => {
    const { templateId, version } = parse(VersionParams, request.params, 'params');
    parse(EmptyQuery, request.query, 'query');
    return templates.versionStatus(templateId, version);
  });

  app.delete('/v1/templates/:templateId/versions/:version', async (request, reply) => {
    const { templateId, version } = parse(VersionParams, request.params, 'params');
    const { defer } = parse(DeferQuery, request.query, 'query');
    parse(EmptyBody, request.body, 'body');
    await templates.deleteVersion(templateId, version, defer === 'true');
    return reply.code(204).send();
  });

  app.delete('/v1/templates/:templateId', async (request, reply) => {
    const { templateId } = parse(TemplateParams, request.params, 'params');
    parse(EmptyQuery, request.query, 'query');
    parse(EmptyBody, request.body, 'body');
    await templates.deleteTemplate(templateId);
    return reply.code(204).send();
  });
}

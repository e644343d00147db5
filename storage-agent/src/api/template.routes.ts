import { agentRoutes as r } from '@branchpoint/contracts/agent-api';
import type { FastifyInstance } from 'fastify';
import type { TemplateService } from '../templates/template.service.js';
import { serve } from './serve.js';

export function templateRoutes(app: FastifyInstance, templates: TemplateService): void {
  serve(app, r.ingestVersion, ({ params, body }) =>
    templates.ingestVersion(params.templateId, params.version, body),
  );
  serve(app, r.templateVersion, ({ params }) =>
    templates.versionStatus(params.templateId, params.version),
  );
  serve(app, r.deleteVersion, ({ params, query }) =>
    templates.deleteVersion(params.templateId, params.version, query.defer === 'true'),
  );
  serve(app, r.deleteTemplate, ({ params }) => templates.deleteTemplate(params.templateId));
}

import { previewRoutes as r } from '@branchpoint/contracts/agent-api';
import type { FastifyInstance } from 'fastify';
import type { PreviewService } from '../previews/preview.service.js';
import { serve } from './serve.js';

export function previewRoutes(app: FastifyInstance, previews: PreviewService): void {
  serve(app, r.createPreview, ({ params, body }) => previews.create(params.previewId, body));
  serve(app, r.preview, ({ params }) => previews.status(params.previewId));
  serve(app, r.previews, () => previews.list());
  serve(app, r.deletePreview, ({ params }) => previews.delete(params.previewId));
}

import { z } from 'zod';
import { NoAnswer } from './answers.js';
import type { AgentRoute } from './routes.js';
import { EmptyBody, EmptyQuery, NoParams, resourceIdSchema } from './schemas.js';

/**
 * Previews: a point's clone served read-only for a limited time, under an OS identity of its
 * own, on a port of the clone range. The agent destroys a preview once `expiresAt` has passed,
 * even when the control plane is gone.
 *
 *   PUT    /v1/previews/:previewId   CreatePreviewRequest -> PreviewStatus (clone, start read-only)
 *   GET    /v1/previews/:previewId   PreviewStatus
 *   GET    /v1/previews              PreviewStatus[] (every preview on the host, for reconciliation)
 *   DELETE /v1/previews/:previewId   stops its servers, destroys its clones
 */
export const PreviewParams = z.strictObject({ previewId: resourceIdSchema });

export const CreatePreviewBody = z.strictObject({
  containerId: resourceIdSchema,
  branchId: resourceIdSchema,
  pointId: resourceIdSchema,
  /** The reader role's password, made by the control plane (the agent keeps only a verifier). */
  password: z.string().min(16).max(256),
  /** ISO time with an offset. */
  expiresAt: z.iso.datetime({ offset: true }),
});

export const PreviewEndpointAnswer = z.object({
  sourceId: z.string(),
  host: z.string(),
  port: z.number(),
  database: z.string().nullable(),
  /** The reader role: SELECT only, in a server kept in recovery (no write can succeed). */
  username: z.string(),
  running: z.boolean(),
});

export const PreviewAnswer = z.object({
  previewId: z.string(),
  containerId: z.string(),
  branchId: z.string(),
  pointId: z.string(),
  expiresAt: z.string(),
  /** One read-only server per source that serves (directories are not previewed). */
  endpoints: z.array(PreviewEndpointAnswer),
});

export type CreatePreviewRequest = z.output<typeof CreatePreviewBody>;
export type PreviewStatus = z.output<typeof PreviewAnswer>;

const P = '/v1/previews/:previewId';

/** The preview routes of the agent API (kept beside agentRoutes, registered the same way). */
export const previewRoutes = {
  createPreview: {
    method: 'PUT',
    pattern: P,
    params: PreviewParams,
    query: EmptyQuery,
    body: CreatePreviewBody,
    response: PreviewAnswer,
    long: true,
  } satisfies AgentRoute<
    z.output<typeof PreviewParams>,
    z.output<typeof EmptyQuery>,
    CreatePreviewRequest,
    PreviewStatus
  >,
  preview: {
    method: 'GET',
    pattern: P,
    params: PreviewParams,
    query: EmptyQuery,
    response: PreviewAnswer,
    long: false,
  } satisfies AgentRoute<
    z.output<typeof PreviewParams>,
    z.output<typeof EmptyQuery>,
    never,
    PreviewStatus
  >,
  previews: {
    method: 'GET',
    pattern: '/v1/previews',
    params: NoParams,
    query: EmptyQuery,
    response: z.array(PreviewAnswer),
    long: false,
  } satisfies AgentRoute<
    Record<string, never>,
    z.output<typeof EmptyQuery>,
    never,
    PreviewStatus[]
  >,
  deletePreview: {
    method: 'DELETE',
    pattern: P,
    params: PreviewParams,
    query: EmptyQuery,
    body: EmptyBody,
    response: NoAnswer,
    long: true,
  } satisfies AgentRoute<
    z.output<typeof PreviewParams>,
    z.output<typeof EmptyQuery>,
    z.output<typeof EmptyBody>,
    z.output<typeof NoAnswer>
  >,
} as const;

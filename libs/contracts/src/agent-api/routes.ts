import type { z } from 'zod';
import type {
  AgentCapacity,
  AgentInventory,
  CloneCertificateAuthority,
  ContainerActivity,
  ContainerStatus,
  HoldRequest,
  PointStatus,
  ResetResult,
  RestoreResult,
  ServerSettings,
  ServerSettingsResult,
  TemplateVersionStatus,
} from '../agent.js';
import * as S from './schemas.js';

export type AgentMethod = 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';

/**
 * One route of the agent API, written once: the control plane's client builds its calls from it
 * (agentPath) and the agent registers and validates it from the same object.
 */
export interface AgentRoute<
  Params extends Record<string, string> = Record<string, string>,
  Query = unknown,
  Body = unknown,
  Answer = unknown,
> {
  method: AgentMethod;
  /** The path with `:name` for each path parameter, as Fastify writes it. */
  pattern: string;
  params: z.ZodType<Params>;
  /** Absent: the query is not looked at. */
  query?: z.ZodType<Query>;
  /** Absent: the route takes no body and does not look at one. */
  body?: z.ZodType<Body>;
  /** It may run long (ingest, clone, restore, server starts): callers wait up to their long limit. */
  long: boolean;
  /** Only with BP_FAULT_INJECTION=on. */
  testOnly?: boolean;
  /** Type only: what a success answers (void: 204 without a body). */
  readonly answer?: Answer;
}

// What a caller gives and gets for a route.
export type AnyAgentRoute = AgentRoute<Record<string, string>, unknown, unknown, unknown>;
export type RouteParams<R extends AnyAgentRoute> = z.output<R['params']>;
export type RouteQuery<R extends AnyAgentRoute> = z.output<NonNullable<R['query']>>;
export type RouteBody<R extends AnyAgentRoute> = z.output<NonNullable<R['body']>>;
export type RouteAnswer<R extends AnyAgentRoute> = R extends { readonly answer?: infer A }
  ? A
  : never;

/** `route<Answer>()(...)`: the answer type is given, the rest inferred from the schemas. */
const route =
  <Answer>() =>
  <Params extends Record<string, string>, Query = never, Body = never>(
    method: AgentMethod,
    pattern: string,
    spec: {
      params: z.ZodType<Params>;
      query?: z.ZodType<Query>;
      body?: z.ZodType<Body>;
      long?: boolean;
      testOnly?: boolean;
    },
  ): AgentRoute<Params, Query, Body, Answer> => ({ method, long: false, ...spec, pattern });

const none = { params: S.NoParams, query: S.EmptyQuery };
const C = '/v1/containers/:containerId';
const B = `${C}/branches/:branchId`;
const V = '/v1/templates/:templateId/versions/:version';

/** Every route of the agent API. Mutating calls are idempotent (see ../agent.ts). */
export const agentRoutes = {
  /** No authentication. */
  health: route<{ ok: boolean }>()('GET', '/v1/health', { params: S.NoParams }),
  capacity: route<AgentCapacity>()('GET', '/v1/capacity', none),
  cloneCa: route<CloneCertificateAuthority>()('GET', '/v1/tls/ca', none),
  inventory: route<AgentInventory>()('GET', '/v1/inventory', { ...none, long: true }),

  ingestVersion: route<TemplateVersionStatus>()('PUT', V, {
    params: S.VersionParams,
    query: S.EmptyQuery,
    body: S.IngestBody,
    long: true,
  }),
  templateVersion: route<TemplateVersionStatus>()('GET', V, {
    params: S.VersionParams,
    query: S.EmptyQuery,
  }),
  deleteVersion: route<void>()('DELETE', V, {
    params: S.VersionParams,
    query: S.DeferQuery,
    body: S.EmptyBody,
    long: true,
  }),
  deleteTemplate: route<void>()('DELETE', '/v1/templates/:templateId', {
    params: S.TemplateParams,
    query: S.EmptyQuery,
    body: S.EmptyBody,
    long: true,
  }),

  createContainer: route<ContainerStatus>()('PUT', C, {
    params: S.ContainerParams,
    query: S.EmptyQuery,
    body: S.CreateContainerBody,
    long: true,
  }),
  container: route<ContainerStatus>()('GET', C, { params: S.ContainerParams, query: S.EmptyQuery }),
  deleteContainer: route<void>()('DELETE', C, {
    params: S.ContainerParams,
    query: S.EmptyQuery,
    body: S.EmptyBody,
    long: true,
  }),
  activate: route<ContainerStatus>()('PUT', `${C}/active`, {
    params: S.ContainerParams,
    query: S.EmptyQuery,
    body: S.ActivateBody,
    long: true,
  }),
  activity: route<ContainerActivity>()('GET', `${C}/activity`, {
    params: S.ContainerParams,
    query: S.EmptyQuery,
  }),
  startContainer: route<ContainerStatus>()('POST', `${C}/start`, {
    params: S.ContainerParams,
    query: S.EmptyQuery,
    body: S.EmptyBody,
    long: true,
  }),
  stopContainer: route<ContainerStatus>()('POST', `${C}/stop`, {
    params: S.ContainerParams,
    query: S.EmptyQuery,
    body: S.EmptyBody,
    long: true,
  }),
  setPassword: route<ContainerStatus>()('PUT', `${C}/password`, {
    params: S.ContainerParams,
    query: S.EmptyQuery,
    body: S.ContainerPasswordBody,
  }),
  settings: route<ServerSettings>()('GET', `${C}/settings`, {
    params: S.ContainerParams,
    query: S.EmptyQuery,
  }),
  updateSettings: route<ServerSettingsResult>()('PATCH', `${C}/settings`, {
    params: S.ContainerParams,
    query: S.EmptyQuery,
    body: S.ServerSettingsBody,
    long: true,
  }),

  createBranch: route<{ containerId: string; branchId: string }>()('PUT', B, {
    params: S.BranchParams,
    query: S.EmptyQuery,
    body: S.CreateBranchBody,
    long: true,
  }),
  deleteBranch: route<void>()('DELETE', B, {
    params: S.BranchParams,
    query: S.EmptyQuery,
    body: S.EmptyBody,
    long: true,
  }),
  createPoint: route<PointStatus>()('PUT', `${B}/points/:pointId`, {
    params: S.PointParams,
    query: S.EmptyQuery,
    body: S.EmptyBody,
    long: true,
  }),
  point: route<PointStatus>()('GET', `${B}/points/:pointId`, {
    params: S.PointParams,
    query: S.EmptyQuery,
  }),
  deletePoint: route<void>()('DELETE', `${B}/points/:pointId`, {
    params: S.PointParams,
    query: S.DeferQuery,
    body: S.EmptyBody,
    long: true,
  }),
  restore: route<RestoreResult>()('PUT', `${B}/generations/:generationId`, {
    params: S.GenerationParams,
    query: S.EmptyQuery,
    body: S.RestoreBody,
    long: true,
  }),
  reset: route<ResetResult>()('POST', `${B}/reset`, {
    params: S.BranchParams,
    query: S.EmptyQuery,
    body: S.EmptyBody,
    long: true,
  }),

  hold: route<HoldRequest & { holdTag: string }>()('PUT', '/v1/holds/:holdTag', {
    params: S.HoldParams,
    query: S.EmptyQuery,
    body: S.HoldBody,
  }),
  /** The hold's point goes in the query: a DELETE carries no body. */
  release: route<void>()('DELETE', '/v1/holds/:holdTag', {
    params: S.HoldParams,
    query: S.HoldBody,
    body: S.EmptyBody,
    long: true,
  }),
  putCatalogRecord: route<void>()('PUT', '/v1/catalog', {
    ...none,
    body: S.CatalogBody,
  }),

  armFault: route<void>()('PUT', '/v1/test/fault', {
    ...none,
    body: S.FaultBody,
    testOnly: true,
  }),
  disarmFault: route<void>()('DELETE', '/v1/test/fault', {
    ...none,
    body: S.EmptyBody,
    testOnly: true,
  }),
} as const;

export type AgentRouteName = keyof typeof agentRoutes;

/** The route's path with each `:name` replaced by its parameter, URL-encoded. */
export function agentPath<R extends AnyAgentRoute>(route: R, params: RouteParams<R>): string {
  return route.pattern.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = (params as Record<string, string | undefined>)[name];
    if (value === undefined) throw new Error(`${route.pattern}: no value for :${name}`);
    return encodeURIComponent(value);
  });
}

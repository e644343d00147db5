import type { z } from 'zod';
import * as A from './answers.js';
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
  /**
   * Called by another agent, not by the control plane: authenticated by a one-time transfer
   * grant (TRANSFER_GRANT_HEADER) instead of the bearer token; its body is a raw `zfs send` stream.
   */
  peer?: boolean;
  /** What a success answers (NoAnswer: 204 without a body). */
  response: z.ZodType<Answer>;
}

// What a caller gives and gets for a route.
export type AnyAgentRoute = AgentRoute<Record<string, string>, unknown, unknown, unknown>;
export type RouteParams<R extends AnyAgentRoute> = z.output<R['params']>;
export type RouteQuery<R extends AnyAgentRoute> = z.output<NonNullable<R['query']>>;
export type RouteBody<R extends AnyAgentRoute> = z.output<NonNullable<R['body']>>;
export type RouteAnswer<R extends AnyAgentRoute> = z.output<R['response']>;

/** A route, its types inferred from its schemas. */
const route = <Params extends Record<string, string>, Answer, Query = never, Body = never>(
  method: AgentMethod,
  pattern: string,
  spec: {
    params: z.ZodType<Params>;
    query?: z.ZodType<Query>;
    body?: z.ZodType<Body>;
    response: z.ZodType<Answer>;
    long?: boolean;
    testOnly?: boolean;
    peer?: boolean;
  },
): AgentRoute<Params, Query, Body, Answer> => ({ method, long: false, ...spec, pattern });

const C = '/v1/containers/:containerId';
const B = `${C}/branches/:branchId`;
const V = '/v1/templates/:templateId/versions/:version';
const T = '/v1/transfers/:transferId';
// Most routes refuse a query; mutating routes without a body refuse one.
const query = S.EmptyQuery;
const noBody = S.EmptyBody;

/** Every route of the agent API. Mutating calls are idempotent (see ../agent.ts). */
export const agentRoutes = {
  /** No authentication. */
  health: route('GET', '/v1/health', { params: S.NoParams, response: A.HealthAnswer }),
  capacity: route('GET', '/v1/capacity', {
    params: S.NoParams,
    query,
    response: A.CapacityAnswer,
  }),
  cloneCa: route('GET', '/v1/tls/ca', { params: S.NoParams, query, response: A.CloneCaAnswer }),
  inventory: route('GET', '/v1/inventory', {
    params: S.NoParams,
    query,
    response: A.InventoryAnswer,
    long: true,
  }),

  ingestVersion: route('PUT', V, {
    params: S.VersionParams,
    query,
    body: S.IngestBody,
    response: A.TemplateVersionAnswer,
    long: true,
  }),
  templateVersion: route('GET', V, {
    params: S.VersionParams,
    query,
    response: A.TemplateVersionAnswer,
  }),
  deleteVersion: route('DELETE', V, {
    params: S.VersionParams,
    query: S.DeferQuery,
    body: noBody,
    response: A.NoAnswer,
    long: true,
  }),
  deleteTemplate: route('DELETE', '/v1/templates/:templateId', {
    params: S.TemplateParams,
    query,
    body: noBody,
    response: A.NoAnswer,
    long: true,
  }),

  createContainer: route('PUT', C, {
    params: S.ContainerParams,
    query,
    body: S.CreateContainerBody,
    response: A.ContainerAnswer,
    long: true,
  }),
  container: route('GET', C, { params: S.ContainerParams, query, response: A.ContainerAnswer }),
  deleteContainer: route('DELETE', C, {
    params: S.ContainerParams,
    query,
    body: noBody,
    response: A.NoAnswer,
    long: true,
  }),
  activate: route('PUT', `${C}/active`, {
    params: S.ContainerParams,
    query,
    body: S.ActivateBody,
    response: A.ContainerAnswer,
    long: true,
  }),
  origins: route('GET', `${C}/origins`, {
    params: S.ContainerParams,
    query,
    response: A.OriginsAnswer,
  }),
  movedIn: route('PUT', `${C}/moved-in`, {
    params: S.ContainerParams,
    query,
    body: S.MovedInBody,
    response: A.ContainerAnswer,
    long: true,
  }),
  activity: route('GET', `${C}/activity`, {
    params: S.ContainerParams,
    query,
    response: A.ActivityAnswer,
  }),
  startContainer: route('POST', `${C}/start`, {
    params: S.ContainerParams,
    query,
    body: noBody,
    response: A.ContainerAnswer,
    long: true,
  }),
  stopContainer: route('POST', `${C}/stop`, {
    params: S.ContainerParams,
    query,
    body: noBody,
    response: A.ContainerAnswer,
    long: true,
  }),
  setPassword: route('PUT', `${C}/password`, {
    params: S.ContainerParams,
    query,
    body: S.ContainerPasswordBody,
    response: A.ContainerAnswer,
  }),
  settings: route('GET', `${C}/settings`, {
    params: S.ContainerParams,
    query,
    response: A.SettingsAnswer,
  }),
  updateSettings: route('PATCH', `${C}/settings`, {
    params: S.ContainerParams,
    query,
    body: S.ServerSettingsBody,
    response: A.SettingsResultAnswer,
    long: true,
  }),

  createBranch: route('PUT', B, {
    params: S.BranchParams,
    query,
    body: S.CreateBranchBody,
    response: A.BranchAnswer,
    long: true,
  }),
  deleteBranch: route('DELETE', B, {
    params: S.BranchParams,
    query,
    body: noBody,
    response: A.NoAnswer,
    long: true,
  }),
  createPoint: route('PUT', `${B}/points/:pointId`, {
    params: S.PointParams,
    query,
    body: S.PointBody,
    response: A.PointAnswer,
    long: true,
  }),
  point: route('GET', `${B}/points/:pointId`, {
    params: S.PointParams,
    query,
    response: A.PointAnswer,
  }),
  deletePoint: route('DELETE', `${B}/points/:pointId`, {
    params: S.PointParams,
    query: S.DeferQuery,
    body: noBody,
    response: A.NoAnswer,
    long: true,
  }),
  restore: route('PUT', `${B}/generations/:generationId`, {
    params: S.GenerationParams,
    query,
    body: S.RestoreBody,
    response: A.RestoreAnswer,
    long: true,
  }),
  reset: route('POST', `${B}/reset`, {
    params: S.BranchParams,
    query,
    body: noBody,
    response: A.ResetAnswer,
    long: true,
  }),

  hold: route('PUT', '/v1/holds/:holdTag', {
    params: S.HoldParams,
    query,
    body: S.HoldBody,
    response: A.HoldAnswer,
  }),
  /** The hold's point goes in the query: a DELETE carries no body. */
  release: route('DELETE', '/v1/holds/:holdTag', {
    params: S.HoldParams,
    query: S.HoldBody,
    body: noBody,
    response: A.NoAnswer,
    long: true,
  }),
  /** Needs INSTALLATION_HEADER: the calling installation's id goes on the top dataset (adopt). */
  claim: route('PUT', '/v1/claims', {
    params: S.NoParams,
    query,
    body: S.ClaimBody,
    response: A.ClaimAnswer,
  }),
  putCatalogRecord: route('PUT', '/v1/catalog', {
    params: S.NoParams,
    query,
    body: S.CatalogBody,
    response: A.NoAnswer,
  }),

  /** Receiver: the grant the sender of this transfer will present (see TRANSFER_GRANT_HEADER). */
  expectTransfer: route('PUT', T, {
    params: S.TransferParams,
    query,
    body: S.ExpectTransferBody,
    response: A.NoAnswer,
  }),
  /** Sender: starts streaming (answers at once; idempotent by transfer id). */
  sendTransfer: route('POST', `${T}/send`, {
    params: S.TransferParams,
    query,
    body: S.SendTransferBody,
    response: A.TransferAnswer,
  }),
  /**
   * Sender: how far the transfer is (404 when the agent sent none of that id); with `waitMs`,
   * answers as soon as it has ended, or after that long while it still sends (a long poll).
   */
  transfer: route('GET', T, {
    params: S.TransferParams,
    query: S.TransferStatusQuery,
    response: A.TransferAnswer,
  }),
  /** Receiver, called by the sending agent: the stream itself, piped into `zfs receive`. */
  receiveTransfer: route('POST', `${T}/stream`, {
    params: S.TransferParams,
    response: A.TransferAnswer,
    long: true,
    peer: true,
  }),

  armFault: route('PUT', '/v1/test/fault', {
    params: S.NoParams,
    query,
    body: S.FaultBody,
    response: A.NoAnswer,
    testOnly: true,
  }),
  disarmFault: route('DELETE', '/v1/test/fault', {
    params: S.NoParams,
    query,
    body: noBody,
    response: A.NoAnswer,
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

import {
  INSTALLATION_HEADER,
  type ActivateRequest,
  type AgentError,
  type CatalogRecordRequest,
  type ClaimRequest,
  type ClaimResult,
  type CloneCertificateAuthority,
  type ContainerActivity,
  type ContainerPasswordRequest,
  type ContainerOrigins,
  type ContainerStatus,
  type MovedInRequest,
  type CreateBranchRequest,
  type CreateContainerRequest,
  type HoldRequest,
  type IngestTemplateVersionRequest,
  type HookOutput,
  type PointStatus,
  type RestoreRequest,
  type RestoreResult,
  type ServerSettings,
  type ServerSettingsRequest,
  type ServerSettingsResult,
  type TemplateVersionStatus,
  type ExpectTransferRequest,
  type SendTransferRequest,
  type TransferStatus,
} from '@branchpoint/contracts';
import {
  agentPath,
  agentRoutes as r,
  previewRoutes as p,
  type CreatePreviewRequest,
  type PreviewStatus,
  type AnyAgentRoute,
  type RouteAnswer,
  type RouteBody,
  type RouteParams,
  type RouteQuery,
} from '@branchpoint/contracts/agent-api';
import { randomUUID } from 'node:crypto';
import { currentOperationId, logToCurrentJob, timedStep } from '../common/job-log.js';
import {
  AgentCertificateChangedException,
  AgentFailedException,
  AgentResourceMissingException,
  AgentUnreachableException,
  agentException,
} from './agent.exception.js';

export interface AgentTarget {
  url: string;
  token: string;
  /** The host's name, which errors show instead of its address. */
  name?: string;
}

/** The part of `fetch` the client uses; the real one checks the agent's pinned certificate. */
export type AgentFetch = (
  url: string,
  init: {
    method: string;
    headers: Record<string, string>;
    body: string | null;
    signal: AbortSignal;
  },
) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>;

const SHORT_TIMEOUT_MS = 15_000;

/**
 * The one typed client for a storage agent: each method calls a route of the agent API as
 * libs/contracts agent-api defines it (path, method, time limit, types, answer schema). Calls
 * are idempotent on the agent, so callers may repeat them after a crash. Deletes of things the
 * agent no longer has succeed, for the same reason. The output of template hooks a call ran
 * (`hookLog`, in answers and errors alike) goes to the log of the job that made the call.
 */
export class AgentClient {
  constructor(
    private readonly target: AgentTarget,
    /** Limit for long calls (ingest, clone, restore, activate). */
    private readonly longTimeoutMs: number,
    private readonly fetchFn: AgentFetch,
    /** This control plane's installation id, sent with every call (INSTALLATION_HEADER). */
    private readonly installationId?: string,
  ) {}

  health() {
    return this.call(r.health, {});
  }

  capacity() {
    return this.call(r.capacity, {});
  }

  inventory() {
    return this.call(r.inventory, {});
  }

  ingestTemplateVersion(
    templateId: string,
    version: string,
    request: IngestTemplateVersionRequest,
  ): Promise<TemplateVersionStatus> {
    return this.call(r.ingestVersion, { templateId, version }, { body: request });
  }

  templateVersion(templateId: string, version: string): Promise<TemplateVersionStatus> {
    return this.call(r.templateVersion, { templateId, version });
  }

  deleteTemplate(templateId: string): Promise<void> {
    return this.delete(r.deleteTemplate, { templateId });
  }

  /** Receiver: the one-time grant the sender of this transfer will present. */
  expectTransfer(transferId: string, request: ExpectTransferRequest): Promise<void> {
    return this.call(r.expectTransfer, { transferId }, { body: request });
  }

  /** Sender: starts streaming to the receiver (answers at once). */
  sendTransfer(transferId: string, request: SendTransferRequest): Promise<TransferStatus> {
    return this.call(r.sendTransfer, { transferId }, { body: request });
  }

  /** How far a transfer is; with `waitMs`, once it has ended or after that long (a long poll). */
  transfer(transferId: string, waitMs?: number): Promise<TransferStatus> {
    return this.call(r.transfer, { transferId }, waitMs === undefined ? {} : { query: { waitMs } });
  }

  createContainer(containerId: string, request: CreateContainerRequest): Promise<ContainerStatus> {
    return this.call(r.createContainer, { containerId }, { body: request });
  }

  container(containerId: string): Promise<ContainerStatus> {
    return this.call(r.container, { containerId });
  }

  startContainer(containerId: string): Promise<ContainerStatus> {
    return this.call(r.startContainer, { containerId });
  }

  stopContainer(containerId: string): Promise<ContainerStatus> {
    return this.call(r.stopContainer, { containerId });
  }

  activity(containerId: string): Promise<ContainerActivity> {
    return this.call(r.activity, { containerId });
  }

  /** Every server of the container takes the new password at once. */
  setPassword(containerId: string, request: ContainerPasswordRequest): Promise<ContainerStatus> {
    return this.call(r.setPassword, { containerId }, { body: request });
  }

  /** What the owner changed on the active branch (409 while its servers are not running). */
  settings(containerId: string): Promise<ServerSettings> {
    return this.call(r.settings, { containerId });
  }

  /** ALTER SYSTEM on the active branch's servers, then a reload or (long) a restart. */
  updateSettings(
    containerId: string,
    request: ServerSettingsRequest,
  ): Promise<ServerSettingsResult> {
    return this.call(r.updateSettings, { containerId }, { body: request });
  }

  /** The CA that signs every clone server's certificate on this host. */
  cloneCa(): Promise<CloneCertificateAuthority> {
    return this.call(r.cloneCa, {});
  }

  /** What the container's clones were made from outside its tree (a host it moves to needs them first). */
  origins(containerId: string): Promise<ContainerOrigins> {
    return this.call(r.origins, { containerId });
  }

  /** A container received from another host becomes this host's (ports, uid, holds); answers its status. */
  movedIn(containerId: string, request: MovedInRequest): Promise<ContainerStatus> {
    return this.call(r.movedIn, { containerId }, { body: request });
  }

  deleteContainer(containerId: string): Promise<void> {
    return this.delete(r.deleteContainer, { containerId });
  }

  activate(containerId: string, request: ActivateRequest): Promise<ContainerStatus> {
    return this.call(r.activate, { containerId }, { body: request });
  }

  createBranch(containerId: string, branchId: string, request: CreateBranchRequest) {
    return this.call(r.createBranch, { containerId, branchId }, { body: request });
  }

  deleteBranch(containerId: string, branchId: string): Promise<void> {
    return this.delete(r.deleteBranch, { containerId, branchId });
  }

  /** A point; with `holdTag`, held in the same call (a bookmark's point). */
  createPoint(
    containerId: string,
    branchId: string,
    pointId: string,
    holdTag?: string,
  ): Promise<PointStatus> {
    return this.call(
      r.createPoint,
      { containerId, branchId, pointId },
      holdTag ? { body: { holdTag } } : {},
    );
  }

  restore(
    containerId: string,
    branchId: string,
    generationId: string,
    request: RestoreRequest,
  ): Promise<RestoreResult> {
    return this.call(r.restore, { containerId, branchId, generationId }, { body: request });
  }

  hold(holdTag: string, request: HoldRequest) {
    return this.call(r.hold, { holdTag }, { body: request });
  }

  release(holdTag: string, request: HoldRequest): Promise<void> {
    return this.delete(r.release, { holdTag }, request);
  }

  /** Puts this installation's id on a container or template that carries none (adopts it). */
  claim(request: ClaimRequest): Promise<ClaimResult> {
    return this.call(r.claim, {}, { body: request });
  }

  /** Keeps the control plane's record of an object on the host (`branchpoint:catalog`). */
  putCatalogRecord(request: CatalogRecordRequest): Promise<void> {
    return this.call(r.putCatalogRecord, {}, { body: request });
  }

  /** Clones a point and serves it read-only until `expiresAt` (see storage-agent/src/previews). */
  createPreview(previewId: string, request: CreatePreviewRequest): Promise<PreviewStatus> {
    return this.call(p.createPreview, { previewId }, { body: request });
  }

  /** Every preview the host serves. */
  previews(): Promise<PreviewStatus[]> {
    return this.call(p.previews, {});
  }

  deletePreview(previewId: string): Promise<void> {
    return this.delete(p.deletePreview, { previewId });
  }

  private async delete<R extends AnyAgentRoute>(
    route: R,
    params: RouteParams<R>,
    query?: RouteQuery<R>,
  ): Promise<void> {
    try {
      await this.call(route, params, { query });
    } catch (error) {
      if (!(error instanceof AgentResourceMissingException)) throw error;
    }
  }

  /** Calls a route of the agent API: its path, method, time limit and answer schema. */
  private async call<R extends AnyAgentRoute>(
    route: R,
    params: RouteParams<R>,
    input: { body?: RouteBody<R>; query?: RouteQuery<R> } = {},
  ): Promise<RouteAnswer<R>> {
    const { method } = route;
    const query = input.query
      ? `?${new URLSearchParams(input.query as Record<string, string>).toString()}`
      : '';
    const path = `${agentPath(route, params)}${query}`;
    const body = input.body;
    const timeoutMs = route.long ? this.longTimeoutMs : SHORT_TIMEOUT_MS;
    const url = `${this.target.url.replace(/\/+$/, '')}${path}`;
    let response: Awaited<ReturnType<AgentFetch>>;
    // The job attempt's id, or one of this call's own: a resend below joins the first on the agent.
    const operationId = currentOperationId() ?? randomUUID();
    const send = () =>
      this.fetchFn(url, {
        method,
        headers: {
          authorization: `Bearer ${this.target.token}`,
          'x-operation-id': operationId,
          ...(this.installationId ? { [INSTALLATION_HEADER]: this.installationId } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    try {
      // A kept-alive connection the agent closed just as it was reused fails before any answer;
      // every agent call is idempotent, so it is sent once more on a fresh connection.
      response = await timedStep(`agent ${method} ${path}`, () =>
        send().catch((error: unknown) => {
          if (!closedBeforeAnswer(error)) throw error;
          return send();
        }),
      );
    } catch (error) {
      const cause = (error as Error).cause;
      if (cause instanceof AgentCertificateChangedException) throw cause;
      const reason =
        error instanceof Error && error.name === 'TimeoutError'
          ? `no answer within ${timeoutMs} ms`
          : String((error as Error).cause ?? error);
      throw new AgentUnreachableException(
        `storage agent of host ${this.target.name ?? '(unnamed)'} unreachable (${method} ${path}); admins see why under Hosts`,
        `storage agent at ${this.target.url} unreachable (${method} ${path}): ${reason}`,
      );
    }
    const text = await response.text();
    const parsed = parseJson(text);
    await logToCurrentJob(hookLogOf(parsed));
    if (!response.ok) {
      const agentError = parsed as Partial<AgentError> | undefined;
      throw agentException(
        agentError?.code,
        agentError?.message ?? `HTTP ${response.status}`,
        response.status,
      );
    }
    return checkedAnswer(route, parsed, `${method} ${path}`);
  }
}

/**
 * The answer as the route's schema describes it, else a 502: an agent outside the contract fails
 * here, naming the field, and not later wherever the field is used. The answer is passed on as
 * sent (fields the schema does not know are kept).
 */
function checkedAnswer<R extends AnyAgentRoute>(
  route: R,
  answer: unknown,
  call: string,
): RouteAnswer<R> {
  const result = route.response.safeParse(answer);
  if (result.success) return answer as RouteAnswer<R>;
  const problems = result.error.issues.map(
    (issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'body'}: ${issue.message}`,
  );
  throw new AgentFailedException(
    `storage agent answered ${call} outside the agent API: ${problems.join('; ')}`,
  );
}

function hookLogOf(body: unknown): string[] {
  const hookLog = (body as HookOutput | undefined)?.hookLog;
  return Array.isArray(hookLog) ? hookLog.filter((line) => typeof line === 'string') : [];
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Whether a fetch failed because the connection closed before an answer (not a timeout or TLS refusal). */
function closedBeforeAnswer(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } } | undefined)?.cause;
  return cause?.code === 'UND_ERR_SOCKET' || cause?.code === 'ECONNRESET';
}

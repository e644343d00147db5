import type {
  ActivateRequest,
  AgentCapacity,
  AgentError,
  AgentInventory,
  CatalogRecordRequest,
  CloneCertificateAuthority,
  ContainerActivity,
  ContainerPasswordRequest,
  ContainerStatus,
  CreateBranchRequest,
  CreateContainerRequest,
  HoldRequest,
  IngestTemplateVersionRequest,
  HookOutput,
  PointStatus,
  RestoreRequest,
  RestoreResult,
  ServerSettings,
  ServerSettingsRequest,
  ServerSettingsResult,
  TemplateVersionStatus,
} from '@branchpoint/contracts';
import { randomUUID } from 'node:crypto';
import { AgentUnavailableException } from '../common/app.exception.js';
import { currentOperationId, logToCurrentJob } from '../common/job-log.js';
import {
  AgentCertificateChangedException,
  AgentResourceMissingException,
  agentException,
} from './agent.exception.js';

export interface AgentTarget {
  url: string;
  token: string;
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
 * The one typed client for a storage agent (see libs/contracts/src/agent.ts). Calls are
 * idempotent on the agent, so callers may repeat them after a crash. Deletes of things the
 * agent no longer has succeed, for the same reason. The output of template hooks a call ran
 * (`hookLog`, in answers and errors alike) goes to the log of the job that made the call.
 */
export class AgentClient {
  constructor(
    private readonly target: AgentTarget,
    /** Limit for long calls (ingest, clone, restore, activate). */
    private readonly longTimeoutMs: number,
    private readonly fetchFn: AgentFetch,
  ) {}

  health(): Promise<{ ok: boolean }> {
    return this.call('GET', '/v1/health');
  }

  capacity(): Promise<AgentCapacity> {
    return this.call('GET', '/v1/capacity');
  }

  inventory(): Promise<AgentInventory> {
    return this.call('GET', '/v1/inventory', undefined, this.longTimeoutMs);
  }

  ingestTemplateVersion(
    templateId: string,
    version: string,
    request: IngestTemplateVersionRequest,
  ): Promise<TemplateVersionStatus> {
    return this.call(
      'PUT',
      `/v1/templates/${seg(templateId)}/versions/${seg(version)}`,
      request,
      this.longTimeoutMs,
    );
  }

  templateVersion(templateId: string, version: string): Promise<TemplateVersionStatus> {
    return this.call('GET', `/v1/templates/${seg(templateId)}/versions/${seg(version)}`);
  }

  deleteTemplate(templateId: string): Promise<void> {
    return this.delete(`/v1/templates/${seg(templateId)}`);
  }

  createContainer(containerId: string, request: CreateContainerRequest): Promise<ContainerStatus> {
    return this.call('PUT', containerPath(containerId), request, this.longTimeoutMs);
  }

  container(containerId: string): Promise<ContainerStatus> {
    return this.call('GET', containerPath(containerId));
  }

  startContainer(containerId: string): Promise<ContainerStatus> {
    return this.call('POST', `${containerPath(containerId)}/start`, undefined, this.longTimeoutMs);
  }

  stopContainer(containerId: string): Promise<ContainerStatus> {
    return this.call('POST', `${containerPath(containerId)}/stop`, undefined, this.longTimeoutMs);
  }

  activity(containerId: string): Promise<ContainerActivity> {
    return this.call('GET', `${containerPath(containerId)}/activity`);
  }

  /** Every server of the container takes the new password at once. */
  setPassword(containerId: string, request: ContainerPasswordRequest): Promise<ContainerStatus> {
    return this.call('PUT', `${containerPath(containerId)}/password`, request);
  }

  /** What the owner changed on the active branch (409 while its servers are not running). */
  settings(containerId: string): Promise<ServerSettings> {
    return this.call('GET', `${containerPath(containerId)}/settings`);
  }

  /** ALTER SYSTEM on the active branch's servers, then a reload or (long) a restart. */
  updateSettings(
    containerId: string,
    request: ServerSettingsRequest,
  ): Promise<ServerSettingsResult> {
    return this.call(
      'PATCH',
      `${containerPath(containerId)}/settings`,
      request,
      this.longTimeoutMs,
    );
  }

  /** The CA that signs every clone server's certificate on this host. */
  cloneCa(): Promise<CloneCertificateAuthority> {
    return this.call('GET', '/v1/tls/ca');
  }

  deleteContainer(containerId: string): Promise<void> {
    return this.delete(containerPath(containerId));
  }

  activate(containerId: string, request: ActivateRequest): Promise<ContainerStatus> {
    return this.call('PUT', `${containerPath(containerId)}/active`, request, this.longTimeoutMs);
  }

  createBranch(
    containerId: string,
    branchId: string,
    request: CreateBranchRequest,
  ): Promise<unknown> {
    return this.call('PUT', branchPath(containerId, branchId), request, this.longTimeoutMs);
  }

  deleteBranch(containerId: string, branchId: string): Promise<void> {
    return this.delete(branchPath(containerId, branchId));
  }

  createPoint(containerId: string, branchId: string, pointId: string): Promise<PointStatus> {
    return this.call(
      'PUT',
      `${branchPath(containerId, branchId)}/points/${seg(pointId)}`,
      undefined,
      this.longTimeoutMs,
    );
  }

  restore(
    containerId: string,
    branchId: string,
    generationId: string,
    request: RestoreRequest,
  ): Promise<RestoreResult> {
    return this.call(
      'PUT',
      `${branchPath(containerId, branchId)}/generations/${seg(generationId)}`,
      request,
      this.longTimeoutMs,
    );
  }

  hold(holdTag: string, request: HoldRequest): Promise<unknown> {
    return this.call('PUT', `/v1/holds/${seg(holdTag)}`, request);
  }

  release(holdTag: string, request: HoldRequest): Promise<void> {
    const query = new URLSearchParams({ ...request }).toString();
    return this.delete(`/v1/holds/${seg(holdTag)}?${query}`);
  }

  /** Keeps the control plane's record of an object on the host (`branchpoint:catalog`). */
  putCatalogRecord(request: CatalogRecordRequest): Promise<void> {
    return this.call('PUT', '/v1/catalog', request);
  }

  private async delete(path: string): Promise<void> {
    try {
      await this.call('DELETE', path, undefined, this.longTimeoutMs);
    } catch (error) {
      if (!(error instanceof AgentResourceMissingException)) throw error;
    }
  }

  private async call<T>(
    method: string,
    path: string,
    body?: unknown,
    timeoutMs = SHORT_TIMEOUT_MS,
  ): Promise<T> {
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
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    try {
      // A kept-alive connection the agent closed just as it was reused fails before any answer;
      // every agent call is idempotent, so it is sent once more on a fresh connection.
      response = await send().catch((error: unknown) => {
        if (!closedBeforeAnswer(error)) throw error;
        return send();
      });
    } catch (error) {
      const cause = (error as Error).cause;
      if (cause instanceof AgentCertificateChangedException) throw cause;
      const reason =
        error instanceof Error && error.name === 'TimeoutError'
          ? `no answer within ${timeoutMs} ms`
          : String((error as Error).cause ?? error);
      throw new AgentUnavailableException(
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
    return parsed as T;
  }
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

/** Ids are UUIDs or `v<n>`; encoding keeps a bad one from changing the path. */
function seg(id: string): string {
  return encodeURIComponent(id);
}

function containerPath(containerId: string): string {
  return `/v1/containers/${seg(containerId)}`;
}

function branchPath(containerId: string, branchId: string): string {
  return `${containerPath(containerId)}/branches/${seg(branchId)}`;
}

/** Whether a fetch failed because the connection closed before an answer (not a timeout or TLS refusal). */
function closedBeforeAnswer(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } } | undefined)?.cause;
  return cause?.code === 'UND_ERR_SOCKET' || cause?.code === 'ECONNRESET';
}

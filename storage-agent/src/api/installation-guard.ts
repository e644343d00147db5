import {
  INSTALLATION_HEADER,
  INSTALLATION_ID_PATTERN,
  type ClaimRequest,
  type ClaimResult,
} from '@branchpoint/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AgentFailure, badRequest, notFound } from '../common/agent-failure.js';
import type { DatasetLayout } from '../datasets/layout.js';
import { PROPERTY } from '../datasets/properties.js';
import type { Zfs } from '../zfs/zfs.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The calling control plane's installation id (INSTALLATION_HEADER), if it named one. */
    installation?: string;
  }
}

const MUTATING = new Set(['PUT', 'POST', 'PATCH', 'DELETE']);

/** A container or template a call changes: the top dataset its installation id is read from. */
export interface OwnedTarget {
  kind: 'container' | 'template';
  id: string;
}

/**
 * Which control plane a container or template belongs to: the installation id on its top
 * dataset (`branchpoint:installation`). A control plane may change or destroy only its own and
 * those that carry no id yet (made before ids existed, which it claims when its catalog knows them).
 */
export class InstallationGuard {
  constructor(
    private readonly zfs: Zfs,
    private readonly layout: DatasetLayout,
  ) {}

  /** Refuses (409 foreign-installation) when a target carries another installation's id. */
  async check(installation: string, targets: OwnedTarget[]): Promise<void> {
    for (const target of targets) {
      const owner = await this.ownerOf(target);
      if (owner !== null && owner !== installation)
        throw new AgentFailure(
          409,
          'foreign-installation',
          `${target.kind} ${target.id} belongs to installation ${owner}, not to ${installation}: it is never changed or destroyed on its behalf`,
        );
    }
  }

  /**
   * Puts `installation` on the top dataset when it carries none (its children inherit it);
   * refuses one of another installation, 404 when it does not exist. Idempotent.
   */
  async claim(installation: string | undefined, request: ClaimRequest): Promise<ClaimResult> {
    if (installation === undefined)
      throw badRequest(`a claim needs the header ${INSTALLATION_HEADER}`);
    const name = this.datasetOf(request);
    if (!(await this.zfs.exists(name)))
      throw notFound(`${request.kind} ${request.id} does not exist`);
    await this.check(installation, [request]);
    const adopted = (await this.ownerOf(request)) === null;
    if (adopted) await this.zfs.set(name, PROPERTY.installation, installation);
    return { ...request, installation, adopted };
  }

  /** The installation id on the target's top dataset; null when it carries none or does not exist. */
  private async ownerOf(target: OwnedTarget): Promise<string | null> {
    const name = this.datasetOf(target);
    if (!(await this.zfs.exists(name))) return null;
    return this.zfs.getValue(name, PROPERTY.installation);
  }

  private datasetOf(target: OwnedTarget): string {
    return target.kind === 'container'
      ? this.layout.container(target.id)
      : this.layout.template(target.id);
  }
}

/**
 * Reads INSTALLATION_HEADER into `request.installation` (400 when malformed) and, on every
 * mutating call that names one, refuses to touch a container or template of another installation.
 */
export function registerInstallationGuard(app: FastifyInstance, guard: InstallationGuard): void {
  app.addHook('preHandler', async (request) => {
    const installation = installationOf(request);
    if (installation === undefined) return;
    request.installation = installation;
    if (!MUTATING.has(request.method)) return;
    await guard.check(installation, targetsOf(request));
  });
}

function installationOf(request: FastifyRequest): string | undefined {
  const value = request.headers[INSTALLATION_HEADER];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !INSTALLATION_ID_PATTERN.test(value))
    throw badRequest(
      `header ${INSTALLATION_HEADER} must match ${INSTALLATION_ID_PATTERN} (got ${JSON.stringify(value).slice(0, 80)})`,
    );
  return value;
}

/**
 * The containers and templates a call changes, wherever the route names them: path
 * parameters, a hold's body or query, a catalog record's target. Ids are checked when the
 * dataset name is built (400 naming the field).
 */
export function targetsOf(request: {
  params?: unknown;
  query?: unknown;
  body?: unknown;
}): OwnedTarget[] {
  const targets: OwnedTarget[] = [];
  const add = (kind: OwnedTarget['kind'], id: unknown) => {
    if (typeof id === 'string' && !targets.some((t) => t.kind === kind && t.id === id))
      targets.push({ kind, id });
  };
  const params = (request.params ?? {}) as Record<string, unknown>;
  const query = (request.query ?? {}) as Record<string, unknown>;
  const body = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<
    string,
    unknown
  >;
  const target = (
    body['target'] && typeof body['target'] === 'object' ? body['target'] : {}
  ) as Record<string, unknown>;
  add('template', params['templateId']);
  add('container', params['containerId']);
  add('container', query['containerId']);
  add('container', body['containerId']);
  add('template', target['templateId']);
  add('container', target['containerId']);
  return targets;
}

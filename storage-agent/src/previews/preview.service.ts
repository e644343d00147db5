import type { CreatePreviewRequest, PreviewStatus } from '@branchpoint/contracts/agent-api';
import { AgentFailure, badRequest, conflict, notFound } from '../common/agent-failure.js';
import type { KeyedMutex } from '../common/keyed-mutex.js';
import {
  LOCAL,
  formatSources,
  parseSources,
  readContainer,
  type ContainerSource,
} from '../containers/container-record.js';
import type { BranchService } from '../containers/branch.service.js';
import type { ContainerService } from '../containers/container.service.js';
import { allocatePorts } from '../containers/ports.js';
import { datasetOf, leafOf, type DatasetLayout } from '../datasets/layout.js';
import { PROPERTY, identity } from '../datasets/properties.js';
import type { ReadOnlyServing } from '../engines/engine.js';
import type { Engines } from '../engines/engines.js';
import type { OsIdentities } from '../identity/os-identity.js';
import { ensureOwnedBy } from '../identity/ownership.js';
import { ifMissing } from '../zfs/zfs.errors.js';
import type { DatasetInfo, Zfs } from '../zfs/zfs.js';

/** Property names without the `branchpoint:` prefix, as DatasetInfo.properties holds them. */
const local = (name: string) => name.slice('branchpoint:'.length);

/**
 * Previews: a point's clone under `<root>/previews/<previewId>/<sourceId>`, served read-only by
 * its engine under the preview's own OS identity, on ports of the clone range, until `expiresAt`
 * (the agent's sweep destroys it then, whatever the control plane does).
 */
export class PreviewService {
  constructor(
    private readonly zfs: Zfs,
    private readonly layout: DatasetLayout,
    private readonly engines: Engines,
    private readonly locks: KeyedMutex,
    private readonly branches: BranchService,
    private readonly containers: ContainerService,
    private readonly identities: OsIdentities,
    private readonly clonePorts: { first: number; last: number },
    private readonly cloneHost: string,
  ) {}

  /** Clones the point and starts its read-only servers; a repeat completes or changes nothing. */
  async create(previewId: string, request: CreatePreviewRequest): Promise<PreviewStatus> {
    if (Date.parse(request.expiresAt) <= Date.now())
      throw badRequest(`expiresAt ${request.expiresAt} has passed`);
    return this.locks.run(`preview:${previewId}`, async () => {
      const dataset = this.layout.preview(previewId);
      const [existing] = await this.zfs.describe(dataset, { depth: 0 }).catch(ifMissing([]));
      const of = previewOf(request);
      if (existing && existing.properties[local(PROPERTY.previewOf)] !== of)
        throw conflict(`preview ${previewId} exists for another point`);
      if (!existing) await this.createDataset(previewId, request);
      await this.cloneSources(previewId, request);
      await this.startServers(previewId);
      return this.status(previewId);
    });
  }

  async status(previewId: string): Promise<PreviewStatus> {
    const infos = await this.zfs
      .describe(this.layout.preview(previewId), { depth: 1 })
      .catch(ifMissing([] as DatasetInfo[]));
    const top = infos.find((info) => info.name === this.layout.preview(previewId));
    if (!top) throw notFound(`preview ${previewId} does not exist`);
    const [containerId = '', branchId = '', pointId = ''] = (
      top.properties[local(PROPERTY.previewOf)] ?? ''
    ).split('/');
    const endpoints: PreviewStatus['endpoints'] = [];
    for (const source of this.servedSources(top)) {
      const clone = infos.find(
        (info) => info.name === this.layout.previewSource(previewId, source.id),
      );
      endpoints.push({
        sourceId: source.id,
        host: this.cloneHost,
        port: source.port,
        database: clone?.properties[LOCAL.database] ?? null,
        username: source.readOnly.readerRole,
        running: !!clone?.mountpoint && (await source.servers.state(clone.mountpoint)).running,
      });
    }
    return {
      previewId,
      containerId,
      branchId,
      pointId,
      expiresAt: top.properties[local(PROPERTY.expiresAt)] ?? '',
      endpoints,
    };
  }

  /** Every preview on the host (one destroyed meanwhile is left out). */
  async list(): Promise<PreviewStatus[]> {
    const previews: PreviewStatus[] = [];
    for (const previewId of await this.previewIds()) {
      const status = await this.status(previewId).catch((error: unknown) => {
        if (error instanceof AgentFailure && error.code === 'not-found') return null;
        throw error;
      });
      if (status) previews.push(status);
    }
    return previews;
  }

  /** Stops its servers and destroys its clones; a repeat changes nothing. */
  async delete(previewId: string): Promise<void> {
    const dataset = this.layout.preview(previewId);
    await this.locks.run(`preview:${previewId}`, async () => {
      const infos = await this.zfs
        .describe(dataset, { depth: 1 })
        .catch(ifMissing([] as DatasetInfo[]));
      const top = infos.find((info) => info.name === dataset);
      if (!top) return;
      for (const source of this.servedSources(top)) {
        const clone = infos.find(
          (info) => info.name === this.layout.previewSource(previewId, source.id),
        );
        if (clone?.mountpoint) await source.servers.stop(clone.mountpoint);
      }
      await this.zfs.destroy(dataset, { recursive: true });
      for (const servers of this.engines.allServers()) await servers.forget(serverName(previewId));
    });
  }

  /**
   * Destroys the previews whose time is up and starts the servers of the others again (after an
   * agent or host restart); answers what failed, with why.
   */
  async sweep(now = new Date()): Promise<{ previewId: string; error: string }[]> {
    const failures: { previewId: string; error: string }[] = [];
    for (const previewId of await this.previewIds()) {
      try {
        const [top] = await this.zfs.describe(this.layout.preview(previewId), { depth: 0 });
        const expiresAt = Date.parse(top?.properties[local(PROPERTY.expiresAt)] ?? '');
        if (!(expiresAt > now.getTime())) await this.delete(previewId);
        else await this.locks.run(`preview:${previewId}`, () => this.startServers(previewId));
      } catch (error) {
        failures.push({ previewId, error: String(error) });
      }
    }
    return failures;
  }

  private async previewIds(): Promise<string[]> {
    const infos = await this.zfs
      .describe(this.layout.previews, { depth: 1 })
      .catch(ifMissing([] as DatasetInfo[]));
    return infos.flatMap((info) =>
      info.properties['kind'] === 'preview' && info.properties['preview-id']
        ? [info.properties['preview-id']]
        : [],
    );
  }

  /** The preview dataset with its ports (taken under the same lock as containers' ports). */
  private async createDataset(previewId: string, request: CreatePreviewRequest): Promise<void> {
    const container = await readContainer(this.zfs, this.layout, request.containerId);
    const previewable = container.sources.filter(
      (source) => this.engines.servers(source.kind)?.readOnly !== undefined,
    );
    if (previewable.length === 0)
      throw conflict(`container ${request.containerId} has no source that can be served read-only`);
    // Fails with 404 before anything is made when the point does not exist.
    await this.branches.findPoint(request.containerId, request.branchId, request.pointId);
    await this.locks.run('ports', async () => {
      // Under the lock: two previews made at once would both create it.
      if (!(await this.zfs.exists(this.layout.previews)))
        await this.zfs.create(this.layout.previews, identity('root', {}));
      const ports = await allocatePorts(
        this.clonePorts,
        await this.containers.takenPorts(),
        previewable.length,
      );
      const sources: ContainerSource[] = previewable.map((source, index) => ({
        id: source.id,
        kind: source.kind,
        port: ports[index] ?? null,
      }));
      await this.zfs.create(this.layout.preview(previewId), {
        ...identity('preview', { previewId }),
        [PROPERTY.sources]: formatSources(sources),
        ...this.engines.passwordVerifiers(request.password),
        [PROPERTY.expiresAt]: new Date(request.expiresAt).toISOString(),
        [PROPERTY.previewOf]: previewOf(request),
      });
    });
  }

  /** One clone per previewed source of the point's snapshots, owned by the preview's identity. */
  private async cloneSources(previewId: string, request: CreatePreviewRequest): Promise<void> {
    const point = await this.branches.findPoint(
      request.containerId,
      request.branchId,
      request.pointId,
    );
    const [top] = await this.zfs.describe(this.layout.preview(previewId), { depth: 0 });
    const owner = await this.identities.preview(previewId);
    for (const source of parseSources(top?.properties['sources'])) {
      const target = this.layout.previewSource(previewId, source.id);
      if (!(await this.zfs.exists(target))) {
        const snapshot = point.sources.find((candidate) => leafOf(candidate.name) === source.id);
        if (!snapshot)
          throw conflict(`point ${request.pointId} has no data for source ${source.id}`);
        const [origin] = await this.zfs.describe(datasetOf(snapshot.name), { depth: 0 });
        const carried: Record<string, string> = {};
        for (const key of [LOCAL.database, LOCAL.ingestRole, LOCAL.superuser]) {
          const value = origin?.properties[key];
          if (value !== undefined) carried[`branchpoint:${key}`] = value;
        }
        await this.zfs.clone(snapshot.name, target, {
          ...identity('preview-source', { previewId, sourceId: source.id }),
          [PROPERTY.sourceKind]: source.kind,
          ...carried,
        });
      }
      const [clone] = await this.zfs.describe(target, { depth: 0 });
      if (clone?.mounted && clone.mountpoint) await ensureOwnedBy(clone.mountpoint, owner);
    }
  }

  /** Starts the read-only server of every previewed source (callers hold the preview's lock). */
  private async startServers(previewId: string): Promise<void> {
    const dataset = this.layout.preview(previewId);
    const infos = await this.zfs.describe(dataset, { depth: 1 });
    const top = infos.find((info) => info.name === dataset);
    if (!top) throw notFound(`preview ${previewId} does not exist`);
    const owner = await this.identities.preview(previewId);
    for (const source of this.servedSources(top)) {
      const clone = infos.find(
        (info) => info.name === this.layout.previewSource(previewId, source.id),
      );
      if (!clone?.mounted || !clone.mountpoint)
        throw conflict(`preview ${previewId}: the clone of ${source.id} is not mounted`);
      await source.readOnly.start({
        name: serverName(previewId),
        sourceId: source.id,
        dataDir: clone.mountpoint,
        port: source.port,
        identity: owner,
        readerVerifier: top.properties[source.servers.passwordProperty] ?? '',
        database: clone.properties[LOCAL.database] ?? null,
        roleHint: clone.properties[LOCAL.ingestRole] ?? null,
        superuser: clone.properties[LOCAL.superuser] ?? null,
      });
    }
  }

  /** The preview's sources with a port and an engine that serves them read-only. */
  private servedSources(top: DatasetInfo) {
    return parseSources(top.properties['sources']).flatMap((source) => {
      const servers = this.engines.servers(source.kind);
      return servers?.readOnly && source.port !== null
        ? [
            {
              id: source.id,
              port: source.port,
              servers,
              readOnly: servers.readOnly as ReadOnlyServing,
            },
          ]
        : [];
    });
  }
}

/** Names the configuration directory and log of a preview's servers, apart from containers'. */
const serverName = (previewId: string) => `preview-${previewId}`;

const previewOf = (request: CreatePreviewRequest) =>
  `${request.containerId}/${request.branchId}/${request.pointId}`;

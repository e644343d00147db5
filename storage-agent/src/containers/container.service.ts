import type {
  ServerSettings,
  ServerSettingsRequest,
  ServerSettingsResult,
  AgentEndpoint,
  ContainerActivity,
  ContainerStatus,
  CreateContainerRequest,
  InventoryInstance,
} from '@branchpoint/contracts';
import { rm } from 'node:fs/promises';
import { AgentFailure, conflict, notFound } from '../common/agent-failure.js';
import { faultPoint } from '../common/fault-point.js';
import type { KeyedMutex } from '../common/keyed-mutex.js';
import { failedWithLog, hookOutput } from '../hooks/hook-log.js';
import { hasHooks, type HookRunner } from '../hooks/hook-runner.js';
import type { Dependencies } from '../datasets/dependencies.js';
import type { DatasetLayout } from '../datasets/layout.js';
import { PROPERTY, identity } from '../datasets/properties.js';
import type { OsIdentities, OsIdentity } from '../identity/os-identity.js';
import { ensureOwnedBy } from '../identity/ownership.js';
import {
  LOGIN_ROLE,
  superusersOf,
  type InstanceSpec,
  type PostgresInstances,
} from '../postgres/instances.js';
import { scramSha256Verifier } from '../postgres/scram.js';
import {
  applyParameters,
  assertChangeable,
  changedParameters,
  pendingRestart,
} from '../postgres/server-parameters.js';
import { ifMissing } from '../zfs/zfs.errors.js';
import type { Zfs } from '../zfs/zfs.js';
import {
  LOCAL,
  containerRecord,
  formatSources,
  parseSources,
  readContainer,
  type ContainerRecord,
  type ContainerSource,
} from './container-record.js';
import { readAfterStart, runAfterStart, writeAfterStart } from './after-start.js';
import { allocatePorts } from './ports.js';

/** A source of one branch's current generation, with what its server needs. */
interface BranchSource extends ContainerSource {
  dataset: string;
  mountpoint: string | null;
  database: string | null;
  roleHint: string | null;
  superuser: string | null;
}

type SourceInstance = InstanceSpec & { database: string | null };

/** Containers: their fixed ports, password verifier, active branch and the servers of that branch. */
export class ContainerService {
  constructor(
    private readonly zfs: Zfs,
    private readonly layout: DatasetLayout,
    private readonly dependencies: Dependencies,
    private readonly instances: PostgresInstances,
    readonly locks: KeyedMutex,
    private readonly clonePorts: { first: number; last: number },
    private readonly cloneHost: string,
    private readonly hookRunner: HookRunner,
    private readonly identities: OsIdentities,
  ) {}

  /** The OS identity the container's servers and hooks run as. */
  identity(containerId: string): Promise<OsIdentity> {
    return this.identities.container(containerId);
  }

  /** Creates the container dataset with one fixed port per postgres source; a repeat changes nothing. */
  async create(containerId: string, request: CreateContainerRequest): Promise<ContainerStatus> {
    const dataset = this.layout.container(containerId);
    return this.locks.run(`container:${containerId}`, async () => {
      if (!(await this.zfs.exists(dataset))) {
        await this.locks.run('ports', async () => {
          const taken = await this.takenPorts();
          const wanted = request.sources.filter((source) => source.kind === 'postgres').length;
          const ports = await allocatePorts(this.clonePorts, taken, wanted);
          const sources: ContainerSource[] = request.sources.map((source) => ({
            id: source.id,
            kind: source.kind,
            port: source.kind === 'postgres' ? (ports.shift() ?? null) : null,
          }));
          await this.zfs.create(dataset, {
            ...identity('container', { containerId }),
            [PROPERTY.sources]: formatSources(sources),
            [PROPERTY.passwordVerifier]: scramSha256Verifier(request.password),
            [PROPERTY.ownerSuperuser]: request.ownerSuperuser ? 'on' : 'off',
            [PROPERTY.keepRoles]: (request.keepRoles ?? []).join(','),
          });
        });
        faultPoint('container.create:after-dataset');
      }
      await this.identities.container(containerId);
      // Written on every create call, so a repeat completes a create a crash interrupted.
      await writeAfterStart(await this.mountpoint(dataset), request);
      return this.status(containerId);
    });
  }

  async status(containerId: string): Promise<ContainerStatus> {
    const record = await readContainer(this.zfs, this.layout, containerId);
    const branchSources = record.activeBranchId
      ? await this.branchSources(record, record.activeBranchId)
      : [];
    const endpoints: AgentEndpoint[] = [];
    for (const source of record.sources) {
      const current = branchSources.find((candidate) => candidate.id === source.id);
      const running =
        source.kind === 'postgres'
          ? !!current?.mountpoint && (await this.instances.state(current.mountpoint)).running
          : !!current?.mountpoint;
      endpoints.push({
        sourceId: source.id,
        kind: source.kind,
        host: this.cloneHost,
        port: source.port,
        database: source.kind === 'postgres' ? (current?.database ?? null) : null,
        username: source.kind === 'postgres' ? LOGIN_ROLE : null,
        path: source.kind === 'directory' ? (current?.mountpoint ?? null) : null,
        running,
      });
    }
    const postgres = endpoints.filter((endpoint) => endpoint.kind === 'postgres');
    const running =
      postgres.length > 0
        ? postgres.some((endpoint) => endpoint.running)
        : endpoints.some((endpoint) => endpoint.running);
    return { containerId, activeBranchId: record.activeBranchId, running, endpoints };
  }

  /** Stops the servers and destroys the container; refused (409) while clones elsewhere depend on it. */
  async delete(containerId: string): Promise<void> {
    const dataset = this.layout.container(containerId);
    await this.locks.run(`container:${containerId}`, async () => {
      if (!(await this.zfs.exists(dataset))) return;
      await this.dependencies.assertTreeFree(dataset, `container ${containerId}`);
      await this.stopServers(containerId);
      faultPoint('container.delete:after-stop');
      await this.dependencies.destroyTree(
        dataset,
        `container ${containerId}`,
        'container.delete:mid-destroy',
      );
      await rm(this.instances.configs.dir(containerId), { recursive: true, force: true });
    });
  }

  /**
   * Stops the active branch's servers and starts the target's on the same ports; a repeat changes
   * nothing. The answer carries the output of the afterStart hooks of the servers it launched.
   */
  async activate(containerId: string, branchId: string): Promise<ContainerStatus> {
    const branch = this.layout.branch(containerId, branchId);
    return this.locks.run(`container:${containerId}`, async () => {
      const record = await readContainer(this.zfs, this.layout, containerId);
      if ((await this.zfs.getValue(branch, PROPERTY.generation).catch(ifMissing(null))) === null)
        throw notFound(`branch ${branchId} of container ${containerId} does not exist`);
      if (record.activeBranchId !== branchId) {
        await this.stopServers(containerId);
        faultPoint('activate:after-stop');
        await this.zfs.set(this.layout.container(containerId), PROPERTY.activeBranch, branchId);
        faultPoint('activate:after-switch');
      }
      const hookLog = await this.startServers(containerId);
      faultPoint('activate:after-start');
      return this.withHookLog(containerId, hookLog);
    });
  }

  /** Starts the active branch's servers (and remembers that they should run); answers as activate. */
  async start(containerId: string): Promise<ContainerStatus> {
    return this.locks.run(`container:${containerId}`, async () =>
      this.withHookLog(containerId, await this.startServers(containerId)),
    );
  }

  private async withHookLog(containerId: string, hookLog: string[]): Promise<ContainerStatus> {
    return { ...(await this.status(containerId)), ...hookOutput(hookLog) };
  }

  /** Stops the active branch's servers (and remembers that they should not run). */
  async stop(containerId: string): Promise<ContainerStatus> {
    return this.locks.run(`container:${containerId}`, async () => {
      await this.zfs.set(this.layout.container(containerId), PROPERTY.serversWanted, 'off');
      await this.stopServers(containerId);
      return this.status(containerId);
    });
  }

  /**
   * A new container password: kept as a verifier, given to the running servers at once, and
   * every session of the old one ends (rotation after an owner lost access).
   */
  async setPassword(containerId: string, password: string): Promise<ContainerStatus> {
    return this.locks.run(`container:${containerId}`, async () => {
      const verifier = scramSha256Verifier(password);
      await this.zfs.set(this.layout.container(containerId), PROPERTY.passwordVerifier, verifier);
      for (const spec of await this.runningSpecs(containerId)) {
        await this.instances.configureOwner({ ...spec, passwordVerifier: verifier });
        await this.instances.endSessions(spec, spec.loginRoles);
      }
      return this.status(containerId);
    });
  }

  /** The server parameters the owner changed on the active branch (its servers must run). */
  async settings(containerId: string): Promise<ServerSettings> {
    const { branchId, specs } = await this.servingSpecs(containerId);
    const client = await this.instances.superuserClient(specs[0] as SourceInstance);
    try {
      return {
        branchId,
        settings: await changedParameters(client),
        pendingRestart: await pendingRestart(client),
      };
    } finally {
      await client.end();
    }
  }

  /**
   * ALTER SYSTEM in every server of the active branch (so the values live in the branch's data),
   * then a reload, or a restart of its servers when a parameter needs one.
   */
  async updateSettings(
    containerId: string,
    request: ServerSettingsRequest,
  ): Promise<ServerSettingsResult> {
    for (const name of Object.keys(request.settings)) assertChangeable(name);
    return this.locks.run(`container:${containerId}`, async () => {
      const { specs } = await this.servingSpecs(containerId);
      let restart = false;
      for (const spec of specs) {
        const client = await this.instances.superuserClient(spec);
        try {
          restart = (await applyParameters(client, request.settings)).length > 0 || restart;
        } finally {
          await client.end();
        }
      }
      let hookLog: string[] = [];
      if (restart) {
        await this.stopServers(containerId);
        hookLog = await this.startServers(containerId);
      }
      return { ...(await this.settings(containerId)), restarted: restart, ...hookOutput(hookLog) };
    });
  }

  private async runningSpecs(containerId: string): Promise<SourceInstance[]> {
    const record = await readContainer(this.zfs, this.layout, containerId);
    if (!record.activeBranchId) return [];
    return this.running(await this.instanceSpecs(record, record.activeBranchId));
  }

  private async running(specs: SourceInstance[]): Promise<SourceInstance[]> {
    const running: SourceInstance[] = [];
    for (const spec of specs)
      if ((await this.instances.state(spec.dataDir)).running) running.push(spec);
    return running;
  }

  /** The active branch's servers, all running (409 otherwise: settings live in a running server). */
  private async servingSpecs(
    containerId: string,
  ): Promise<{ branchId: string; specs: SourceInstance[] }> {
    const record = await readContainer(this.zfs, this.layout, containerId);
    if (!record.activeBranchId) throw conflict(`container ${containerId} has no active branch`);
    const specs = await this.instanceSpecs(record, record.activeBranchId);
    if (specs.length === 0 || (await this.running(specs)).length < specs.length)
      throw conflict(`container ${containerId} is not running; start it to change its settings`);
    return { branchId: record.activeBranchId, specs };
  }

  /** When clients last used the active branch's running servers (no lock: it only reads). */
  async activity(containerId: string): Promise<ContainerActivity> {
    const record = await readContainer(this.zfs, this.layout, containerId);
    if (!record.activeBranchId) return { running: false, lastActivityAt: null };
    let running = false;
    let latest: Date | null = null;
    for (const spec of await this.instanceSpecs(record, record.activeBranchId)) {
      if (!(await this.instances.state(spec.dataDir)).running) continue;
      running = true;
      const at = await this.instances.lastActivity(spec);
      if (!latest || at > latest) latest = at;
    }
    return { running, lastActivityAt: latest?.toISOString() ?? null };
  }

  /**
   * Starts every postgres server of the active branch (callers hold the container lock) and runs
   * the afterStart hooks in those it launched; answers their output (a failure carries it too).
   */
  async startServers(containerId: string): Promise<string[]> {
    const record = await readContainer(this.zfs, this.layout, containerId);
    if (!record.activeBranchId) throw conflict(`container ${containerId} has no active branch`);
    if (!record.serversWanted)
      await this.zfs.set(this.layout.container(containerId), PROPERTY.serversWanted, 'on');
    const sources = await this.branchSources(record, record.activeBranchId);
    const unmounted = sources.filter((source) => source.kind === 'postgres' && !source.mountpoint);
    if (unmounted.length > 0)
      throw new AgentFailure(
        500,
        'instance-failed',
        `not mounted: ${unmounted.map((source) => source.dataset).join(', ')}`,
      );
    const afterStart = await readAfterStart(
      await this.mountpoint(this.layout.container(containerId)),
    );
    const hookLog: string[] = [];
    try {
      for (const spec of await this.specsOf(record, sources)) {
        // Data of a container made before identities, or of an interrupted clone, becomes its own.
        await ensureOwnedBy(spec.dataDir, spec.identity);
        const launched = await this.instances.start(spec);
        if (launched && hasHooks(afterStart) && spec.database)
          await runAfterStart(
            this.instances,
            this.hookRunner,
            spec,
            spec.database,
            afterStart,
            hookLog,
          );
      }
    } catch (error) {
      throw failedWithLog(error, hookLog);
    }
    return hookLog;
  }

  private async mountpoint(dataset: string): Promise<string> {
    const [info] = await this.zfs.describe(dataset, { depth: 0 });
    if (!info?.mounted || !info.mountpoint)
      throw new AgentFailure(500, 'internal', `dataset ${dataset} is not mounted`);
    return info.mountpoint;
  }

  /** Stops every server of the active branch (callers hold the container lock). */
  async stopServers(containerId: string): Promise<void> {
    const record = await readContainer(this.zfs, this.layout, containerId);
    if (!record.activeBranchId) return;
    for (const spec of await this.instanceSpecs(record, record.activeBranchId))
      await this.instances.stop(spec.dataDir);
  }

  /** Whether the branch's servers should run: it is active and the container was started. */
  async branchServing(containerId: string, branchId: string): Promise<boolean> {
    const record = await readContainer(this.zfs, this.layout, containerId);
    return record.activeBranchId === branchId && record.serversWanted;
  }

  /** CHECKPOINT in every running server of the branch, before a snapshot. */
  async checkpoint(containerId: string, branchId: string): Promise<void> {
    const record = await readContainer(this.zfs, this.layout, containerId);
    if (record.activeBranchId !== branchId) return;
    for (const spec of await this.instanceSpecs(record, branchId)) {
      if ((await this.instances.state(spec.dataDir)).running) await this.instances.checkpoint(spec);
    }
  }

  /**
   * At agent start: every container whose servers should run (`servers` on) gets them back.
   * Servers still running are adopted as they are; those an agent crash left stopped in the
   * middle of an operation start again (the operation's retry then completes it). Answers the
   * containers that could not start, with why.
   */
  async resumeServers(): Promise<{ containerId: string; error: string }[]> {
    const failures: { containerId: string; error: string }[] = [];
    for (const info of await this.zfs.describe(this.layout.containers, { depth: 1 })) {
      if (info.properties['kind'] !== 'container') continue;
      const record = containerRecord(info.properties['container-id'] ?? '', info.properties);
      if (!record.serversWanted || !record.activeBranchId) continue;
      await this.locks
        .run(`container:${record.containerId}`, () => this.startServers(record.containerId))
        .catch((error: unknown) =>
          failures.push({ containerId: record.containerId, error: String(error) }),
        );
    }
    return failures;
  }

  /** The servers of every container's active branch, as they are now. */
  async instancesInventory(): Promise<InventoryInstance[]> {
    const containers = await this.zfs.describe(this.layout.containers, { depth: 1 });
    const result: InventoryInstance[] = [];
    for (const container of containers) {
      if (container.properties['kind'] !== 'container') continue;
      const containerId = container.properties['container-id'] ?? '';
      const record = containerRecord(containerId, container.properties);
      const activeBranchId = record.activeBranchId;
      if (!activeBranchId) continue;
      for (const spec of await this.instanceSpecs(record, activeBranchId)) {
        const state = await this.instances.state(spec.dataDir);
        result.push({
          containerId,
          branchId: activeBranchId,
          sourceId: spec.sourceId,
          port: spec.port,
          pid: state.pid,
          running: state.running,
        });
      }
    }
    return result;
  }

  /** The sources of the branch's current generation (empty while the branch is half-created). */
  async branchSources(record: ContainerRecord, branchId: string): Promise<BranchSource[]> {
    const branch = this.layout.branch(record.containerId, branchId);
    const generationId = await this.zfs
      .getValue(branch, PROPERTY.generation)
      .catch(ifMissing(null));
    if (!generationId) return [];
    const generation = this.layout.generation(record.containerId, branchId, generationId);
    const datasets = await this.zfs.describe(generation, { depth: 1 });
    return record.sources.flatMap((source) => {
      const dataset = this.layout.source(record.containerId, branchId, generationId, source.id);
      const info = datasets.find((candidate) => candidate.name === dataset);
      if (!info) return [];
      return [
        {
          ...source,
          dataset,
          mountpoint: info.mounted ? info.mountpoint : null,
          database: info.properties[LOCAL.database] ?? null,
          roleHint: info.properties[LOCAL.ingestRole] ?? null,
          superuser: info.properties[LOCAL.superuser] ?? null,
        },
      ];
    });
  }

  private async instanceSpecs(
    record: ContainerRecord,
    branchId: string,
  ): Promise<SourceInstance[]> {
    return this.specsOf(record, await this.branchSources(record, branchId));
  }

  /**
   * Makes a generation's freshly cloned data directories the container's (a clone of a template
   * version or of another container's point carries their owner), before any server starts.
   */
  async adoptGeneration(
    record: ContainerRecord,
    branchId: string,
    generationId: string,
  ): Promise<void> {
    const owner = await this.identities.container(record.containerId);
    const generation = this.layout.generation(record.containerId, branchId, generationId);
    for (const info of await this.zfs.describe(generation, { depth: 1 })) {
      const source = record.sources.find((candidate) => info.name.endsWith(`/${candidate.id}`));
      if (source?.kind === 'postgres' && info.mounted && info.mountpoint)
        await ensureOwnedBy(info.mountpoint, owner);
    }
  }

  /** The servers of a branch's postgres sources that are mounted. */
  private async specsOf(
    record: ContainerRecord,
    sources: BranchSource[],
  ): Promise<SourceInstance[]> {
    const postgres = sources.filter(
      (source) => source.kind === 'postgres' && source.port !== null && source.mountpoint,
    );
    if (postgres.length === 0) return [];
    const owner = await this.identities.container(record.containerId);
    return postgres.map((source) => ({
      containerId: record.containerId,
      sourceId: source.id,
      dataDir: source.mountpoint as string,
      port: source.port as number,
      identity: owner,
      superusers: superusersOf(source),
      loginRoles: [LOGIN_ROLE, ...record.keepRoles],
      passwordVerifier: record.passwordVerifier,
      ownerSuperuser: record.ownerSuperuser,
      keepRoles: record.keepRoles,
      database: source.database,
    }));
  }

  private async takenPorts(): Promise<Set<number>> {
    if (!(await this.zfs.exists(this.layout.containers))) return new Set();
    const containers = await this.zfs.describe(this.layout.containers, { depth: 1 });
    return new Set(
      containers.flatMap((container) =>
        parseSources(container.properties['sources']).flatMap((source) =>
          source.port === null ? [] : [source.port],
        ),
      ),
    );
  }
}

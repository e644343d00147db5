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
import { AgentFailure, conflict, notFound } from '../common/agent-failure.js';
import { faultPoint } from '../common/fault-point.js';
import type { KeyedMutex } from '../common/keyed-mutex.js';
import { failedWithLog, hookOutput } from '../hooks/hook-log.js';
import type { Dependencies } from '../datasets/dependencies.js';
import type { DatasetLayout } from '../datasets/layout.js';
import { PROPERTY, identity } from '../datasets/properties.js';
import type { OsIdentities, OsIdentity } from '../identity/os-identity.js';
import { ensureOwnedBy } from '../identity/ownership.js';
import type { CloneServer, CloneServers, ServerSettingsAccess } from '../engines/engine.js';
import type { Engines } from '../engines/engines.js';
import { ifMissing } from '../zfs/zfs.errors.js';
import type { Zfs } from '../zfs/zfs.js';
import {
  LOCAL,
  containerRecord,
  formatSources,
  parseSources,
  readContainer,
  sourceIds,
  type ContainerRecord,
  type ContainerSource,
} from './container-record.js';
import { readAfterStart, writeAfterStart } from './after-start.js';
import { linkDirectory } from './directory-links.js';
import { allocatePorts } from './ports.js';

/** A source of one branch's current generation, with what its server needs. */
interface BranchSource extends ContainerSource {
  dataset: string;
  mountpoint: string | null;
  database: string | null;
  roleHint: string | null;
  superuser: string | null;
}

/** A clone server with the engine that runs it. */
interface SourceInstance extends CloneServer {
  servers: CloneServers;
}

type WithSettings = SourceInstance & { settings: ServerSettingsAccess };

/** Containers: their fixed ports, password verifier, active branch and the servers of that branch. */
export class ContainerService {
  constructor(
    private readonly zfs: Zfs,
    private readonly layout: DatasetLayout,
    private readonly dependencies: Dependencies,
    private readonly engines: Engines,
    readonly locks: KeyedMutex,
    private readonly clonePorts: { first: number; last: number },
    private readonly cloneHost: string,
    private readonly identities: OsIdentities,
  ) {}

  /**
   * Reads the container's dataset and the branch's (and `more`) in one zfs command, for the
   * call's later reads of their record, owner and generation to be answered from (Zfs.prefetch).
   */
  readAhead(containerId: string, branchId: string, ...more: string[]): Promise<void> {
    return this.zfs.prefetch([
      this.layout.container(containerId),
      this.layout.branch(containerId, branchId),
      ...more,
    ]);
  }

  /** The OS identity the container's servers and hooks run as. */
  identity(containerId: string): Promise<OsIdentity> {
    return this.identities.container(containerId);
  }

  /** Creates the container dataset with one fixed port per source that serves; a repeat changes nothing. */
  async create(containerId: string, request: CreateContainerRequest): Promise<ContainerStatus> {
    const dataset = this.layout.container(containerId);
    return this.locks.run(`container:${containerId}`, async () => {
      if (!(await this.zfs.exists(dataset))) {
        await this.locks.run('ports', async () => {
          const taken = await this.takenPorts();
          const serves = (kind: ContainerSource['kind']) => this.engines.servers(kind) !== null;
          const wanted = request.sources.filter((source) => serves(source.kind)).length;
          const ports = await allocatePorts(this.clonePorts, taken, wanted);
          const sources: ContainerSource[] = request.sources.map((source) => ({
            id: source.id,
            kind: source.kind,
            port: serves(source.kind) ? (ports.shift() ?? null) : null,
          }));
          await this.zfs.create(dataset, {
            ...identity('container', { containerId }),
            [PROPERTY.sources]: formatSources(sources),
            ...this.engines.passwordVerifiers(request.password),
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
    // Only directory sources need it (their stable links live there).
    let containerDir: Promise<string> | undefined;
    for (const source of record.sources) {
      const current = branchSources.find((candidate) => candidate.id === source.id);
      const servers = this.engines.servers(source.kind);
      const running = servers
        ? !!current?.mountpoint && (await servers.state(current.mountpoint)).running
        : !!current?.mountpoint;
      endpoints.push({
        sourceId: source.id,
        kind: source.kind,
        host: this.cloneHost,
        port: source.port,
        database: servers ? (current?.database ?? null) : null,
        username: servers ? servers.ownerRole : null,
        path:
          servers || !current?.mountpoint
            ? null
            : await linkDirectory(
                await (containerDir ??= this.mountpoint(this.layout.container(containerId))),
                source.id,
                current.mountpoint,
              ),
        running,
      });
    }
    const served = endpoints.filter((endpoint) => this.engines.servers(endpoint.kind) !== null);
    const running =
      served.length > 0
        ? served.some((endpoint) => endpoint.running)
        : endpoints.some((endpoint) => endpoint.running);
    return { containerId, activeBranchId: record.activeBranchId, running, endpoints };
  }

  /** Points the links of the container's directory sources at the active branch's copies. */
  async linkDirectories(record: ContainerRecord): Promise<void> {
    if (
      record.sources.every((source) => this.engines.servers(source.kind)) ||
      !record.activeBranchId
    )
      return;
    await this.status(record.containerId);
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
      for (const servers of this.engines.allServers()) await servers.forget(containerId);
    });
  }

  /**
   * Stops the active branch's servers and starts the target's on the same ports; a repeat changes
   * nothing. The answer carries the output of the afterStart hooks of the servers it launched.
   */
  async activate(containerId: string, branchId: string): Promise<ContainerStatus> {
    const branch = this.layout.branch(containerId, branchId);
    return this.locks.run(`container:${containerId}`, async () => {
      await this.readAhead(containerId, branchId);
      const record = await readContainer(this.zfs, this.layout, containerId);
      if ((await this.zfs.getValue(branch, PROPERTY.generation).catch(ifMissing(null))) === null)
        throw notFound(`branch ${branchId} of container ${containerId} does not exist`);
      if (record.activeBranchId !== branchId) {
        await this.stopServers(containerId);
        faultPoint('activate:after-stop');
        await this.zfs.set(this.layout.container(containerId), PROPERTY.activeBranch, branchId);
        faultPoint('activate:after-switch');
        // The start reads them again after the change: together.
        await this.readAhead(containerId, branchId);
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
      const verifiers = this.engines.passwordVerifiers(password);
      for (const [property, verifier] of Object.entries(verifiers))
        await this.zfs.set(this.layout.container(containerId), property, verifier);
      for (const spec of await this.runningSpecs(containerId))
        await spec.servers.rotatePassword({
          ...spec,
          owner: {
            ...spec.owner,
            passwordVerifier: verifiers[`branchpoint:${spec.servers.passwordProperty}`] ?? '',
          },
        });
      return this.status(containerId);
    });
  }

  /** The server parameters the owner changed on the active branch (its servers must run). */
  /**
   * What the owner changed, read from the running servers; 409 while an operation on the
   * container runs (an activation or restart: its servers may be coming and going).
   */
  async settings(containerId: string): Promise<ServerSettings> {
    if (this.locks.busy(`container:${containerId}`))
      throw conflict(
        `container ${containerId} is busy with an operation; its settings can be read when it ends`,
      );
    return this.readSettings(containerId);
  }

  private async readSettings(containerId: string): Promise<ServerSettings> {
    const { branchId, specs } = await this.servingSpecs(containerId);
    const [first] = specs;
    return { branchId, ...(await first.settings.changed(first)) };
  }

  /**
   * ALTER SYSTEM in every server of the active branch (so the values live in the branch's data),
   * then a reload, or a restart of its servers when a parameter needs one.
   */
  async updateSettings(
    containerId: string,
    request: ServerSettingsRequest,
  ): Promise<ServerSettingsResult> {
    for (const settings of this.engines.settings())
      for (const name of Object.keys(request.settings)) settings.assertChangeable(name);
    return this.locks.run(`container:${containerId}`, async () => {
      const { specs } = await this.servingSpecs(containerId);
      let restart = false;
      for (const spec of specs)
        restart = (await spec.settings.update(spec, request.settings)) || restart;
      let hookLog: string[] = [];
      if (restart) {
        await this.stopServers(containerId);
        hookLog = await this.startServers(containerId);
      }
      return {
        ...(await this.readSettings(containerId)),
        restarted: restart,
        ...hookOutput(hookLog),
      };
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
      if ((await spec.servers.state(spec.dataDir)).running) running.push(spec);
    return running;
  }

  /**
   * The active branch's servers whose engine has settings, all running (409 otherwise: settings
   * live in a running server).
   */
  private async servingSpecs(containerId: string): Promise<{
    branchId: string;
    specs: [WithSettings, ...WithSettings[]];
  }> {
    const record = await readContainer(this.zfs, this.layout, containerId);
    if (!record.activeBranchId) throw conflict(`container ${containerId} has no active branch`);
    const all = await this.instanceSpecs(record, record.activeBranchId);
    const specs = all.flatMap((spec) =>
      spec.servers.settings ? [{ ...spec, settings: spec.servers.settings }] : [],
    );
    const [first, ...rest] = specs;
    if (!first || (await this.running(specs)).length < specs.length)
      throw conflict(`container ${containerId} is not running; start it to change its settings`);
    return { branchId: record.activeBranchId, specs: [first, ...rest] };
  }

  /** When clients last used the active branch's running servers (no lock: it only reads). */
  async activity(containerId: string): Promise<ContainerActivity> {
    const record = await readContainer(this.zfs, this.layout, containerId);
    if (!record.activeBranchId) return { running: false, lastActivityAt: null };
    let running = false;
    let latest: Date | null = null;
    for (const spec of await this.instanceSpecs(record, record.activeBranchId)) {
      if (!(await spec.servers.state(spec.dataDir)).running) continue;
      running = true;
      const at = await spec.servers.lastActivity(spec);
      if (!latest || at > latest) latest = at;
    }
    return { running, lastActivityAt: latest?.toISOString() ?? null };
  }

  /**
   * Starts every server of the active branch (callers hold the container lock) and runs
   * the afterStart hooks in those it launched; answers their output (a failure carries it too).
   */
  async startServers(containerId: string): Promise<string[]> {
    const record = await readContainer(this.zfs, this.layout, containerId);
    if (!record.activeBranchId) throw conflict(`container ${containerId} has no active branch`);
    // The uid a moving container brought may be another tenant's here: nothing of it runs
    // before this host gave it one of its own (moved-in).
    const uid = await this.zfs.getWithSource(this.layout.container(containerId), PROPERTY.uid);
    if (uid.source === 'received')
      throw conflict(`container ${containerId} is being moved here: it is not this host's yet`);
    if (!record.serversWanted)
      await this.zfs.set(this.layout.container(containerId), PROPERTY.serversWanted, 'on');
    const sources = await this.branchSources(record, record.activeBranchId);
    const unmounted = sources.filter(
      (source) => this.engines.servers(source.kind) !== null && !source.mountpoint,
    );
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
      const specs = await this.specsOf(record, sources);
      // The sources' servers start side by side; their hooks then run one after another.
      const launched = await allSettledOrThrow(
        specs.map(async (spec) => {
          // Data of a container made before identities, or of an interrupted clone, becomes its own.
          await ensureOwnedBy(spec.dataDir, spec.identity);
          return spec.servers.start(spec);
        }),
      );
      for (const [index, spec] of specs.entries())
        if (launched[index])
          await spec.servers.runAfterStart(
            { ...spec, sourceName: afterStart.sourceNames[spec.sourceId] ?? null },
            afterStart,
            hookLog,
          );
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
    const specs = await this.instanceSpecs(record, record.activeBranchId);
    await allSettledOrThrow(specs.map((spec) => spec.servers.stop(spec.dataDir)));
  }

  /** Whether the branch's servers should run: it is active and the container was started. */
  async branchServing(containerId: string, branchId: string): Promise<boolean> {
    const record = await readContainer(this.zfs, this.layout, containerId);
    return record.activeBranchId === branchId && record.serversWanted;
  }

  /**
   * Runs `snapshot` with every running server of the branch quiesced (a checkpoint, or writes
   * blocked), releasing them right after, whatever its outcome.
   */
  async quiesced<T>(containerId: string, branchId: string, snapshot: () => Promise<T>): Promise<T> {
    const record = await readContainer(this.zfs, this.layout, containerId);
    const releases: (() => Promise<void>)[] = [];
    try {
      if (record.activeBranchId === branchId)
        for (const spec of await this.instanceSpecs(record, branchId))
          if ((await spec.servers.state(spec.dataDir)).running)
            releases.push(await spec.servers.quiesce(spec));
      return await snapshot();
    } finally {
      for (const release of releases.reverse()) await release();
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
    // Every container at once: their reads of one kind go in one zfs command (batched reads),
    // a few commands for the host where one after another took three per container (the
    // control plane asks every host poll).
    const perContainer = await Promise.all(
      containers
        .filter((container) => container.properties['kind'] === 'container')
        .map((container) =>
          this.activeInstances(
            containerRecord(container.properties['container-id'] ?? '', container.properties),
          ),
        ),
    );
    return perContainer.flat();
  }

  /** The servers of the container's active branch (none without one), as they are now. */
  private async activeInstances(record: ContainerRecord): Promise<InventoryInstance[]> {
    const branchId = record.activeBranchId;
    if (!branchId) return [];
    const specs = await this.instanceSpecs(record, branchId);
    return Promise.all(
      specs.map(async (spec) => {
        const state = await spec.servers.state(spec.dataDir);
        return {
          containerId: record.containerId,
          branchId,
          sourceId: spec.sourceId,
          port: spec.port,
          pid: state.pid,
          running: state.running,
        };
      }),
    );
  }

  /** The sources of the branch's current generation (empty while the branch is half-created). */
  async branchSources(record: ContainerRecord, branchId: string): Promise<BranchSource[]> {
    const branch = this.layout.branch(record.containerId, branchId);
    const generationId = await this.zfs
      .getValue(branch, PROPERTY.generation)
      .catch(ifMissing(null));
    if (!generationId) return [];
    // Each source's dataset by name (not the generation's children, which include every point
    // of it); one gone between the two reads (being destroyed) serves nothing.
    const names = this.layout.sources(
      record.containerId,
      branchId,
      generationId,
      sourceIds(record),
    );
    const datasets = await this.zfs.describeEach(names);
    return record.sources.flatMap((source, index) => {
      const dataset = names[index]!;
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
    owner: OsIdentity,
  ): Promise<void> {
    const generation = this.layout.generation(record.containerId, branchId, generationId);
    for (const info of await this.zfs.describe(generation, { depth: 1 })) {
      const source = record.sources.find((candidate) => info.name.endsWith(`/${candidate.id}`));
      if (source && this.engines.servers(source.kind) && info.mounted && info.mountpoint)
        await ensureOwnedBy(info.mountpoint, owner);
    }
  }

  /** The servers of a branch's sources that serve and are mounted. */
  private async specsOf(
    record: ContainerRecord,
    sources: BranchSource[],
  ): Promise<SourceInstance[]> {
    const served = sources.flatMap((source) => {
      const servers = this.engines.servers(source.kind);
      return servers && source.port !== null && source.mountpoint
        ? [{ source, servers, port: source.port, dataDir: source.mountpoint }]
        : [];
    });
    if (served.length === 0) return [];
    const identity = await this.identities.container(record.containerId);
    return served.map(({ source, servers, port, dataDir }) => ({
      containerId: record.containerId,
      sourceId: source.id,
      dataDir,
      port,
      identity,
      owner: {
        passwordVerifier: record.passwordVerifiers[servers.passwordProperty] ?? '',
        superuser: record.ownerSuperuser,
        keepRoles: record.keepRoles,
      },
      sourceName: null,
      database: source.database,
      roleHint: source.roleHint,
      superuser: source.superuser,
      servers,
    }));
  }

  /** Gives a container received from another host ports of this host's range for its servers. */
  async reassignPorts(containerId: string): Promise<void> {
    const dataset = this.layout.container(containerId);
    await this.locks.run('ports', async () => {
      const record = await readContainer(this.zfs, this.layout, containerId);
      const wanted = record.sources.filter((source) => source.port !== null).length;
      const ports = await allocatePorts(this.clonePorts, await this.takenPorts(dataset), wanted);
      const sources = record.sources.map((source) => ({
        ...source,
        port: source.port === null ? null : (ports.shift() ?? null),
      }));
      await this.zfs.set(dataset, PROPERTY.sources, formatSources(sources));
    });
  }

  /** The ports containers and previews hold, but `except` (callers allocate under the `ports` lock). */
  async takenPorts(except?: string): Promise<Set<number>> {
    const taken = new Set<number>();
    for (const parent of [this.layout.containers, this.layout.previews]) {
      if (!(await this.zfs.exists(parent))) continue;
      for (const holder of await this.zfs.describe(parent, { depth: 1 }))
        if (holder.name !== except)
          for (const source of parseSources(holder.properties['sources']))
            if (source.port !== null) taken.add(source.port);
    }
    return taken;
  }
}

/** Waits for every one of the promises (none is left running), then throws the first failure. */
async function allSettledOrThrow<T>(work: Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(work);
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<T>).value);
}

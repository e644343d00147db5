import { readFile } from 'node:fs/promises';
import type { AgentCapacity, AgentInventory } from '@branchpoint/contracts';
import type { CommandRunner } from '../common/command-runner.js';
import type { ContainerService } from '../containers/container.service.js';
import { PROPERTY } from '../datasets/properties.js';
import type { Zfs } from '../zfs/zfs.js';

export const AGENT_VERSION = '0.1.0';

/** What the agent owns (for reconciliation) and what the host has left. */
export class InventoryService {
  constructor(
    private readonly zfs: Zfs,
    private readonly containers: ContainerService,
    private readonly run: CommandRunner,
    private readonly root: string,
    private readonly pool: string,
    private readonly pgBin: string,
  ) {}

  /** Every dataset and snapshot under the root with origins, holds, space and `branchpoint:*` properties, and the servers. */
  async inventory(): Promise<AgentInventory> {
    const datasets = (await this.zfs.describe(this.root)).map((info) => ({
      name: info.name,
      type: info.type,
      origin: info.origin,
      usedBytes: info.usedBytes,
      referencedBytes: info.referencedBytes,
      userrefs: info.userrefs,
      properties: info.properties,
    }));
    return {
      root: this.root,
      ...(await this.agentId()),
      datasets,
      instances: await this.containers.instancesInventory(),
    };
  }

  async capacity(): Promise<AgentCapacity> {
    const pool = await this.zfs.pool(this.pool);
    const instances = await this.containers.instancesInventory();
    return {
      pool: pool.name,
      root: this.root,
      sizeBytes: pool.sizeBytes,
      freeBytes: pool.freeBytes,
      usedBytes: pool.allocatedBytes,
      health: pool.health,
      versions: { agent: AGENT_VERSION, ...(await this.softwareVersions()) },
      runningInstances: instances.filter((instance) => instance.running).length,
      ...(await hostMemory()),
      ...(await this.agentId()),
    };
  }

  /** The agent's identity, kept on its root (`branchpoint:agent-id`, made at start). */
  private async agentId(): Promise<{ agentId?: string }> {
    const agentId = await this.zfs.getValue(this.root, PROPERTY.agentId).catch(() => null);
    return agentId === null ? {} : { agentId };
  }

  /**
   * The zfs and PostgreSQL versions, asked once per agent start: each is a process or two
   * (dpkg-query) that every host poll would otherwise start again. After upgrading either,
   * restart the agent to report the new version.
   */
  private versions?: Promise<{ zfs: string; postgres: string }>;

  private async softwareVersions(): Promise<{ zfs: string; postgres: string }> {
    this.versions ??= Promise.all([this.zfsVersion(), this.postgresVersion()]).then(
      ([zfs, postgres]) => ({ zfs, postgres }),
    );
    return this.versions;
  }

  /** OpenZFS reports its module version in /sys; zfs-fuse has none, so ask the package manager. */
  private async zfsVersion(): Promise<string> {
    const module = await readFile('/sys/module/zfs/version', 'utf8').catch(() => null);
    if (module) return `openzfs ${module.trim()}`;
    for (const pkg of ['zfsutils-linux', 'zfs-fuse']) {
      const result = await this.run('dpkg-query', ['-W', '-f=${Version}', pkg]).catch(() => null);
      if (result?.exitCode === 0 && result.stdout.trim()) return `${pkg} ${result.stdout.trim()}`;
    }
    return 'unknown';
  }

  private async postgresVersion(): Promise<string> {
    const result = await this.run(`${this.pgBin}/postgres`, ['--version']).catch(() => null);
    return result?.exitCode === 0 ? result.stdout.trim() : 'unknown';
  }
}

/** Total and available memory (what new clone servers can use), from /proc/meminfo. */
async function hostMemory(): Promise<{ memory?: { totalBytes: number; availableBytes: number } }> {
  const text = await readFile('/proc/meminfo', 'utf8').catch(() => '');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1]);
  const total = kib('MemTotal');
  const available = kib('MemAvailable');
  if (!Number.isFinite(total) || !Number.isFinite(available)) return {};
  return { memory: { totalBytes: total * 1024, availableBytes: available * 1024 } };
}

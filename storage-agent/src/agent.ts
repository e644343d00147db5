import { randomUUID } from 'node:crypto';
import { InstallationGuard } from './api/installation-guard.js';
import { processRunner, type CommandRunner } from './common/command-runner.js';
import { KeyedMutex } from './common/keyed-mutex.js';
import type { AgentConfig } from './config.js';
import { BranchService } from './containers/branch.service.js';
import { ContainerMoves } from './containers/container-moves.js';
import { ContainerService } from './containers/container.service.js';
import { ensureCompression } from './datasets/compression.js';
import { Dependencies } from './datasets/dependencies.js';
import { DatasetLayout } from './datasets/layout.js';
import { identity, PROPERTY } from './datasets/properties.js';
import { HookRunner } from './engines/postgres/hook-runner.js';
import { OsIdentities } from './identity/os-identity.js';
import { assertTraversable } from './identity/traversable.js';
import { CatalogRecords } from './inventory/catalog-records.js';
import { InventoryService } from './inventory/inventory.service.js';
import { DirectoryEngine } from './engines/directory/directory.engine.js';
import { Engines } from './engines/engines.js';
import { MariadbEngine } from './engines/mariadb/mariadb.engine.js';
import { MariadbInstances } from './engines/mariadb/instances.js';
import { PostgresInstances } from './engines/postgres/instances.js';
import { PostgresEngine } from './engines/postgres/postgres.engine.js';
import { ServerConfigs } from './engines/postgres/server-config.js';
import { CloneCertificates } from './tls/clone-certificates.js';
import { PreviewService } from './previews/preview.service.js';
import { TemplateService } from './templates/template.service.js';
import { TransferService } from './transfer/transfer.service.js';
import { Zfs } from './zfs/zfs.js';

/** The agent's services, wired once. */
export interface Agent {
  zfs: Zfs;
  layout: DatasetLayout;
  dependencies: Dependencies;
  templates: TemplateService;
  containers: ContainerService;
  moves: ContainerMoves;
  branches: BranchService;
  inventory: InventoryService;
  catalog: CatalogRecords;
  certificates: CloneCertificates;
  installations: InstallationGuard;
  transfers: TransferService;
  previews: PreviewService;
}

export function createAgent(config: AgentConfig, run: CommandRunner = processRunner): Agent {
  const locks = new KeyedMutex();
  const certificates = new CloneCertificates(config.runDir, [config.cloneHost], run, locks);
  const instances = new PostgresInstances(
    config.pgBin,
    config.runDir,
    new ServerConfigs(config.runDir, certificates),
    config.cloneListen,
  );
  // Ingest servers listen on a socket only, in a socket directory of their own.
  const hookServers = new PostgresInstances(
    config.pgBin,
    config.runDir,
    new ServerConfigs(config.runDir, null),
    '',
    'hook-sockets',
  );
  const hookRunner = new HookRunner(config.pgBin, config.hookTimeoutMs);
  const engines = new Engines([
    new PostgresEngine(config.pgBin, instances, hookServers, hookRunner),
    new MariadbEngine(
      new MariadbInstances(config.runDir, certificates, config.cloneListen),
      // Ingest servers listen on a socket only, in a socket directory of their own.
      new MariadbInstances(config.runDir, null, '', 'mariadb-ingest-sockets'),
    ),
    new DirectoryEngine(),
  ]);
  // A describe reads the agent's own properties and each engine's password verifier by name.
  const zfs = new Zfs(run, [...Object.values(PROPERTY), ...engines.passwordProperties()]);
  const layout = new DatasetLayout(config.zfsRoot);
  const dependencies = new Dependencies(zfs, config.zfsRoot);
  const identities = new OsIdentities(zfs, layout, locks, config.tenantUids);
  const templates = new TemplateService(zfs, layout, dependencies, locks, engines, identities);
  const containers = new ContainerService(
    zfs,
    layout,
    dependencies,
    engines,
    locks,
    config.clonePorts,
    config.cloneHost,
    identities,
  );
  const branches = new BranchService(zfs, layout, dependencies, containers);
  const inventory = new InventoryService(
    zfs,
    containers,
    run,
    config.zfsRoot,
    config.pool,
    config.pgBin,
  );
  const catalog = new CatalogRecords(zfs, layout, branches);
  const installations = new InstallationGuard(zfs, layout);
  const moves = new ContainerMoves(zfs, layout, containers, identities);
  const transfers = new TransferService(zfs, layout, locks, identities, (containerId) =>
    containers.delete(containerId),
  );
  const previews = new PreviewService(
    zfs,
    layout,
    engines,
    locks,
    branches,
    containers,
    identities,
    config.clonePorts,
    config.cloneHost,
  );
  return {
    zfs,
    layout,
    dependencies,
    templates,
    containers,
    moves,
    branches,
    inventory,
    catalog,
    certificates,
    installations,
    transfers,
    previews,
  };
}

/**
 * Creates `<root>`, `<root>/templates`, `<root>/containers`, `<root>/incoming` (streams
 * from other agents being received) and `<root>/points` (points received) when missing, the agent's identity (`branchpoint:agent-id` on the root, made once), the clone CA, and checks that tenant
 * uids can reach the run directory and the datasets.
 */
export async function prepareRoot(agent: Agent, runDir: string): Promise<void> {
  await assertTraversable(runDir, 'the run directory');
  for (const [name, kind] of [
    [agent.layout.root, 'root'],
    [agent.layout.templates, 'root'],
    [agent.layout.containers, 'root'],
    [agent.layout.incoming, 'root'],
    [agent.layout.points, 'root'],
  ] as const) {
    if (!(await agent.zfs.exists(name))) await agent.zfs.create(name, identity(kind, {}));
  }
  await ensureCompression(agent.zfs, agent.layout.root);
  if ((await agent.zfs.getValue(agent.layout.root, PROPERTY.agentId)) === null)
    await agent.zfs.set(agent.layout.root, PROPERTY.agentId, randomUUID());
  await agent.certificates.ensureCa();
  const [root] = await agent.zfs.describe(agent.layout.root, { depth: 0 });
  if (root?.mountpoint) await assertTraversable(root.mountpoint, 'the datasets under');
}

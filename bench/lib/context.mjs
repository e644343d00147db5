// What every bench module gets: one dataset, one work directory, one storage agent, pgbench
// sources and ingested templates made once per scale and shared, and cleanup at the end.
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startAgent } from './agent.mjs';
import { createSource, postgresDir, required, run, stopServer } from './postgres.mjs';
import { sleep } from './timing.mjs';

export const repo = resolve(import.meta.dirname, '../..');
// Ports: sources 57500+, agent 57520, plain servers (copies, floors) 57530-57599, clones 57600+;
// BENCH_PORT_OFFSET moves them all (a second run beside a first).
const OFFSET = Number(process.env.BENCH_PORT_OFFSET ?? 0);
const PORTS = {
  sources: 57500 + OFFSET,
  agent: 57520 + OFFSET,
  plain: 57530 + OFFSET,
  clones: `${57600 + OFFSET}-${57999 + OFFSET}`,
};

export function log(message) {
  process.stderr.write(`bench: ${message}\n`);
}

export async function createContext({ quick }) {
  const pool = required('BP_ZFS_POOL');
  const id = randomBytes(4).toString('hex');
  const root = `${pool}/t-bench-${id}`;
  const work = join(required('BP_DATA_DIR'), `bench-${id}`);
  // Made per run: the sources listen on 127.0.0.1, where clones' servers (other uids) run too.
  const password = randomBytes(24).toString('hex');
  const cleanups = [];
  const sources = new Map();
  const templates = new Map();
  let agent;
  let nextPlainPort = PORTS.plain;
  let nextSourcePort = PORTS.sources;

  // Clone servers run as uids of their own: they must traverse to the agent's run directory.
  mkdirSync(work, { recursive: true, mode: 0o711 });
  await run('zfs', ['create', root]);
  cleanups.push(() => destroyDataset(root));

  const context = {
    quick,
    root,
    work,
    password,
    runDir: join(work, 'agent'),
    log,
    /** Registers work for the end (run in reverse order). */
    onCleanup: (cleanup) => cleanups.push(cleanup),
    /** A port for a server the bench runs itself (full copies, floors). */
    plainPort: () => nextPlainPort++,
    /** The storage agent, started at first use. */
    async agent() {
      agent ??= await startAgent({
        repo,
        root,
        runDir: context.runDir,
        port: PORTS.agent,
        clonePorts: PORTS.clones,
        log,
      }).then((started) => {
        cleanups.push(() => started.stop());
        return started;
      });
      return agent;
    },
    /** A pgbench source cluster of this scale (made once, not timed). */
    async source(scale) {
      if (!sources.has(scale)) {
        const dir = join(work, `source-${scale}`);
        const made = createSource({ dir, port: nextSourcePort++, scale, password, log });
        sources.set(scale, made);
        cleanups.push(() => stopServer(dir, 'immediate'));
      }
      return sources.get(scale);
    },
    /** Template `t<scale>` version v1 ingested by the agent from the source (once, not timed). */
    async template(scale) {
      if (!templates.has(scale)) {
        templates.set(
          scale,
          (async () => {
            const source = await context.source(scale);
            const { call } = await context.agent();
            log(`scale ${scale}: ingest (not timed)`);
            await call('PUT', `/v1/templates/t${scale}/versions/v1`, {
              sources: [{ id: 'db', kind: 'postgres', connectionString: source.url }],
            });
            return { templateId: `t${scale}`, version: 'v1', source };
          })(),
        );
      }
      return templates.get(scale);
    },
    /** A container of template t<scale> with branch `main` from v1, active (servers started unless start=false). */
    async container(containerId, scale, { start = true } = {}) {
      const { templateId, version } = await context.template(scale);
      const { call } = await context.agent();
      await call('PUT', `/v1/containers/${containerId}`, {
        sources: [{ id: 'db', kind: 'postgres' }],
        password,
      });
      cleanups.push(() => call('DELETE', `/v1/containers/${containerId}`).catch(() => {}));
      // As create-container.job: the clone and its first point in one call, then the start.
      await call('PUT', `/v1/containers/${containerId}/branches/main`, {
        origin: { kind: 'template', templateId, version },
        firstPointId: 'first',
      });
      if (start) return call('PUT', `/v1/containers/${containerId}/active`, { branchId: 'main' });
      return undefined;
    },
    /** Stops the containers' servers (a module done with them leaves the machine to the next). */
    async stopContainers(ids) {
      const { call } = await context.agent();
      await Promise.all(ids.map((id) => call('POST', `/v1/containers/${id}/stop`)));
    },
    /** A plain directory the postgres user owns, under the work directory. */
    plainDir: (name) => postgresDir(join(work, name)),
  };
  context.cleanUp = async () => {
    for (const cleanup of cleanups.reverse())
      await Promise.resolve()
        .then(cleanup)
        .catch((error) => log(`cleanup: ${error}`));
    rmSync(work, { recursive: true, force: true });
  };
  return context;
}

/** zfs-fuse reports a dataset busy for a moment after its last use: retry a few times. */
export async function destroyDataset(name, recursive = true) {
  for (let attempt = 1; ; attempt++) {
    try {
      await run('zfs', ['destroy', recursive ? '-R' : '-r', name]);
      return;
    } catch (error) {
      if (/does not exist/.test(String(error.stderr))) return;
      if (attempt === 8) return log(`could not destroy ${name}: ${error.stderr ?? error}`);
      await sleep(attempt * 500);
      await unmountTree(name);
    }
  }
}

/** zfs-fuse may go on calling a dataset busy while one below it stays mounted: unmount them, deepest first. */
async function unmountTree(name) {
  const listed = await run('zfs', ['list', '-H', '-r', '-t', 'filesystem', '-o', 'name', name])
    .then(({ stdout }) => stdout.split('\n').filter(Boolean))
    .catch(() => []);
  for (const dataset of listed.reverse()) await run('zfs', ['unmount', dataset]).catch(() => {});
}

/** `zfs get -H -p <property>` as a number. */
export async function zfsNumber(name, property) {
  const { stdout } = await run('zfs', ['get', '-H', '-p', '-o', 'value', property, name]);
  return Number(stdout.trim());
}

/** A container's current generation dataset of branch main (its `branchpoint:generation`). */
export async function currentGeneration(root, containerId) {
  const branch = `${root}/containers/${containerId}/main`;
  const { stdout } = await run('zfs', [
    'get',
    '-H',
    '-o',
    'value',
    'branchpoint:generation',
    branch,
  ]);
  return `${branch}/${stdout.trim()}`;
}

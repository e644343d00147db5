// Full copy vs. branch, for a pgbench database at two sizes.
//
//   full copy:  pg_basebackup of the source cluster into a plain directory, then start a
//               PostgreSQL server on it and wait until it accepts connections
//   branch:     through the storage agent's HTTPS API — create a branch from a point of an
//               already ingested container, activate it, until its server accepts connections
//
// The one-time work (pgbench init, the ingest, the container, the point) is not timed. Each
// measurement runs BENCH_RUNS times (default 3); the table shows the medians. Everything
// lives in its own dataset `${BP_ZFS_POOL}/t-bench-<random>`, a work directory under
// $BP_DATA_DIR and ports 57500-57999, and is removed at the end.
// Run through `npm run bench` (it prepares the environment and builds the agent).
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, chownSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Agent, fetch as agentFetch } from 'undici';

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, '../..');
const SCALES = (process.env.BENCH_SCALES ?? '5,40').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PG_BIN = required('BP_PG_BIN');
const POOL = required('BP_ZFS_POOL');
const DATA_DIR = required('BP_DATA_DIR');
const PORTS = { sources: 57500, agent: 57520, copies: 57530, clones: '57600-57999' };
// Made per run: the sources listen on 127.0.0.1, where clones' servers (other uids) run too.
const PASSWORD = randomBytes(24).toString('hex');

const id = randomBytes(4).toString('hex');
const root = `${POOL}/t-bench-${id}`;
const work = join(DATA_DIR, `bench-${id}`);
const agentUrl = `https://127.0.0.1:${PORTS.agent}`;
const agentToken = 'dev-agent-token';
// The agent makes a self-signed certificate in its run directory when it starts; calls to it
// trust that certificate and nothing else (read at the first call that finds it).
const agentCert = join(work, 'agent', 'tls', 'agent.crt');
let agentDispatcher;
const cleanups = [];

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run through npm run bench`);
  return value;
}

function log(message) {
  process.stderr.write(`bench: ${message}\n`);
}

/** Runs a PostgreSQL tool as the postgres OS user (the servers refuse to run as root). */
function asPostgres(tool, args, env = {}) {
  return run('runuser', ['-u', 'postgres', '--', join(PG_BIN, tool), ...args], {
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
}

function postgresDir(path) {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  chownSync(path, POSTGRES_UID, POSTGRES_GID);
  return path;
}

const POSTGRES_UID = Number((await run('id', ['-u', 'postgres'])).stdout);
const POSTGRES_GID = Number((await run('id', ['-g', 'postgres'])).stdout);
// Clone servers run as uids of their own: they must traverse to the agent's run directory.
mkdirSync(work, { recursive: true, mode: 0o711 });

async function seconds(action) {
  const started = process.hrtime.bigint();
  await action();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function startServer(dataDir, port) {
  await asPostgres('pg_ctl', [
    '-D',
    dataDir,
    '-l',
    join(dataDir, 'server.log'),
    '-w',
    '-t',
    '300',
    '-o',
    `-p ${port} -c listen_addresses=127.0.0.1 -k ${dataDir}`,
    'start',
  ]);
  await waitUntilAccepting(port);
  cleanups.push(() => stopServer(dataDir));
}

async function stopServer(dataDir) {
  await asPostgres('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => {});
}

async function waitUntilAccepting(port) {
  for (let i = 0; i < 3000; i++) {
    try {
      await run(join(PG_BIN, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(port)]);
      return;
    } catch {
      await new Promise((done) => setTimeout(done, 20));
    }
  }
  throw new Error(`nothing accepts connections on port ${port}`);
}

/** Rows of pgbench_accounts, as `user` (the copy's own role, or a clone's owner role over TLS). */
async function countAccounts(port, user = 'bench') {
  const { stdout } = await run(
    join(PG_BIN, 'psql'),
    [
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-U',
      user,
      '-d',
      'bench',
      '-Atc',
      'SELECT count(*) FROM pgbench_accounts',
    ],
    { env: { ...process.env, PGPASSWORD: PASSWORD, PGSSLMODE: 'prefer' } },
  );
  return Number(stdout.trim());
}

/** A source cluster holding one pgbench database of the given scale. */
async function createSource(scale, port) {
  const dir = postgresDir(join(work, `source-${scale}`));
  await asPostgres('initdb', [
    '-D',
    dir,
    '-U',
    'postgres',
    '--auth-local=peer',
    '--auth-host=scram-sha-256',
    '-E',
    'UTF8',
  ]);
  await asPostgres('pg_ctl', [
    '-D',
    dir,
    '-l',
    join(dir, 'server.log'),
    '-w',
    '-o',
    `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c wal_level=replica -c max_wal_senders=4`,
    'start',
  ]);
  cleanups.push(() => stopServer(dir));
  const psql = (sql, db = 'postgres') =>
    asPostgres('psql', [
      '-h',
      dir,
      '-p',
      String(port),
      '-d',
      db,
      '-v',
      'ON_ERROR_STOP=1',
      '-qAtc',
      sql,
    ]);
  appendFileSync(join(dir, 'pg_hba.conf'), 'host replication all 127.0.0.1/32 scram-sha-256\n');
  await psql(`CREATE ROLE bench LOGIN SUPERUSER REPLICATION PASSWORD '${PASSWORD}'`);
  await psql('CREATE DATABASE bench OWNER bench');
  await psql('SELECT pg_reload_conf()');
  log(`scale ${scale}: pgbench -i (not timed)`);
  await asPostgres('pgbench', [
    '-i',
    '-q',
    '-s',
    String(scale),
    '-h',
    dir,
    '-p',
    String(port),
    'bench',
  ]);
  await psql('CHECKPOINT');
  const { stdout } = await run('du', ['-sb', dir]);
  return {
    port,
    bytes: Number(stdout.split('\t')[0]),
    url: `postgres://bench:${PASSWORD}@127.0.0.1:${port}/bench`,
    urlWithoutPassword: `postgres://bench@127.0.0.1:${port}/bench`,
  };
}

async function fullCopy(source, scale, attempt) {
  const dir = join(work, `copy-${scale}-${attempt}`);
  const port = PORTS.copies + attempt;
  postgresDir(dir);
  const elapsed = await seconds(async () => {
    await asPostgres(
      'pg_basebackup',
      ['-D', dir, '-X', 'stream', '--checkpoint=fast', '-d', source.urlWithoutPassword],
      { PGPASSWORD: PASSWORD },
    );
    await startServer(dir, port);
  });
  const rows = await countAccounts(port);
  await stopServer(dir);
  rmSync(dir, { recursive: true, force: true });
  return { elapsed, rows };
}

async function callAgent(path, init = {}) {
  agentDispatcher ??= new Agent({ connect: { ca: readFileSync(agentCert, 'utf8') } });
  return agentFetch(`${agentUrl}${path}`, { ...init, dispatcher: agentDispatcher });
}

async function agent(method, path, body) {
  const response = await callAgent(path, {
    method,
    headers: {
      authorization: `Bearer ${agentToken}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`agent ${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function startAgent() {
  const child = spawn(process.execPath, [join(repo, 'storage-agent/dist/main.js')], {
    env: {
      ...process.env,
      BP_AGENT_HOST: '127.0.0.1',
      BP_AGENT_PORT: String(PORTS.agent),
      BP_AGENT_DEV: '1',
      BP_AGENT_TOKEN: undefined,
      BP_ZFS_ROOT: root,
      BP_CLONE_PORTS: PORTS.clones,
      BP_AGENT_RUN_DIR: join(work, 'agent'),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  cleanups.push(
    () =>
      new Promise((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
      }),
  );
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`the storage agent exited (${child.exitCode})`);
    if (
      await callAgent('/v1/health').then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error('the storage agent did not start');
}

/** Ingest, container, first branch and a point to branch from: the one-time part. */
async function prepareContainer(source, scale) {
  const container = `c${scale}`;
  log(`scale ${scale}: ingest, container, point (not timed)`);
  await agent('PUT', `/v1/templates/t${scale}/versions/v1`, {
    sources: [{ id: 'db', kind: 'postgres', connectionString: source.url }],
  });
  await agent('PUT', `/v1/containers/${container}`, {
    sources: [{ id: 'db', kind: 'postgres' }],
    password: PASSWORD,
  });
  cleanups.push(() => agent('DELETE', `/v1/containers/${container}`).catch(() => {}));
  await agent('PUT', `/v1/containers/${container}/branches/main`, {
    origin: { kind: 'template', templateId: `t${scale}`, version: 'v1' },
  });
  await agent('PUT', `/v1/containers/${container}/active`, { branchId: 'main' });
  await agent('PUT', `/v1/containers/${container}/branches/main/points/p1`);
  return container;
}

async function branchAndStart(container, attempt) {
  const branch = `b${attempt}`;
  let status;
  let cloned = 0;
  const elapsed = await seconds(async () => {
    cloned = await seconds(() =>
      agent('PUT', `/v1/containers/${container}/branches/${branch}`, {
        origin: { kind: 'point', containerId: container, branchId: 'main', pointId: 'p1' },
      }),
    );
    status = await agent('PUT', `/v1/containers/${container}/active`, { branchId: branch });
    await waitUntilAccepting(status.endpoints[0].port);
  });
  return { elapsed, cloned, rows: await countAccounts(status.endpoints[0].port, 'branchpoint') };
}

/** zfs-fuse reports a dataset busy for a moment after its last use: retry a few times. */
async function destroyRoot() {
  for (let attempt = 1; ; attempt++) {
    try {
      await run('zfs', ['destroy', '-R', root]);
      return;
    } catch (error) {
      if (attempt === 8) return log(`could not destroy ${root}: ${error.stderr ?? error}`);
      await new Promise((done) => setTimeout(done, attempt * 500));
    }
  }
}

function formatBytes(bytes) {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${Math.round(bytes / 1e6)} MB`;
}

function printTable(results) {
  const rows = [
    ['pgbench scale', 'data', 'full copy + start', 'branch + start', 'ratio'],
    ...results.map((r) => [
      String(r.scale),
      formatBytes(r.bytes),
      `${r.copy.toFixed(2)} s`,
      `${r.clone.toFixed(2)} s`,
      `${(r.copy / r.clone).toFixed(1)}x`,
    ]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row) => `| ${row.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  console.log(line(rows[0]));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows.slice(1)) console.log(line(row));
  console.log(
    `\nmedians of ${RUNS} runs; full copy = pg_basebackup + pg_ctl start; branch = agent PUT branch (from a point) + PUT active, until pg_isready`,
  );
}

async function main() {
  postgresDir(work);
  await run('zfs', ['create', root]);
  cleanups.push(() => destroyRoot());
  const sources = [];
  for (const [index, scale] of SCALES.entries())
    sources.push({ scale, ...(await createSource(scale, PORTS.sources + index)) });
  await startAgent();
  const results = [];
  for (const source of sources) {
    const container = await prepareContainer(source, source.scale);
    const expectedRows = source.scale * 100000;
    const copies = [];
    const clones = [];
    for (let attempt = 1; attempt <= RUNS; attempt++) {
      const copy = await fullCopy(source, source.scale, attempt);
      const clone = await branchAndStart(container, attempt);
      for (const result of [copy, clone]) {
        if (result.rows !== expectedRows)
          throw new Error(`expected ${expectedRows} pgbench_accounts rows, found ${result.rows}`);
      }
      log(
        `scale ${source.scale} run ${attempt}: full copy ${copy.elapsed.toFixed(2)} s, ` +
          `branch ${clone.elapsed.toFixed(2)} s (create ${clone.cloned.toFixed(2)} s + activate ${(clone.elapsed - clone.cloned).toFixed(2)} s)`,
      );
      copies.push(copy.elapsed);
      clones.push(clone.elapsed);
    }
    results.push({
      scale: source.scale,
      bytes: source.bytes,
      copy: median(copies),
      clone: median(clones),
    });
  }
  printTable(results);
}

async function cleanUp() {
  // Reverse order: containers (their servers) before the agent, the agent before the dataset.
  for (const cleanup of cleanups.reverse()) await cleanup();
  rmSync(work, { recursive: true, force: true });
}

let failed = false;
try {
  await main();
} catch (error) {
  failed = true;
  log(error instanceof Error ? error.message : String(error));
} finally {
  await cleanUp();
}
process.exit(failed ? 1 : 0);

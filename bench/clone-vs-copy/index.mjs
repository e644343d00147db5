// Full copy vs. branch, for a pgbench database at each scale (5, 40, 100; --quick: 5).
//
//   full copy:  pg_basebackup of the source into a plain directory, start it, first query
//   branch:     through the agent: a branch from a point of an ingested container, activated,
//               until its server answers a query
// The one-time work (pgbench -i, ingest, container, point) is not timed; medians of BENCH_RUNS.
import { rmSync } from 'node:fs';
import { asPostgres, psql, startServer, stopServer } from '../lib/postgres.mjs';
import { median, seconds } from '../lib/timing.mjs';

const scalesOf = (quick) =>
  (process.env.BENCH_SCALES ?? (quick ? '5' : '5,40,100')).split(',').map(Number);
const runsOf = (quick) => Number(process.env.BENCH_RUNS ?? (quick ? 1 : 3));

/** count(*) of pgbench_accounts as the given psql connection flags. */
export async function countAccounts(connection, env) {
  return Number(await psql(connection, 'SELECT count(*) FROM pgbench_accounts', env));
}

/** psql flags for a clone's endpoint, as the owner over TLS. */
export function cloneConnection(endpoint) {
  return [
    '-h',
    '127.0.0.1',
    '-p',
    String(endpoint.port),
    '-U',
    endpoint.username,
    '-d',
    endpoint.database,
  ];
}

async function fullCopy(context, source, attempt) {
  const dir = context.plainDir(`copy-${source.scale}-${attempt}`);
  const port = context.plainPort();
  const connection = ['-h', '127.0.0.1', '-p', String(port), '-U', 'bench', '-d', 'bench'];
  const env = { PGPASSWORD: context.password };
  const elapsed = await seconds(async () => {
    await asPostgres(
      'pg_basebackup',
      ['-D', dir, '-X', 'stream', '--checkpoint=fast', '-d', source.urlWithoutPassword],
      env,
    );
    // The copy starts as fast as a clone does (one syncfs, not an fsync of each file).
    await startServer(dir, port, '-c recovery_init_sync_method=syncfs');
    await psql(connection, 'SELECT 1', env);
  });
  const rows = await countAccounts(connection, env);
  await stopServer(dir, 'immediate');
  rmSync(dir, { recursive: true, force: true });
  return { elapsed, rows };
}

async function branchAndStart(context, containerId, attempt) {
  const { call } = await context.agent();
  const branch = `b${attempt}`;
  let status;
  const env = { PGPASSWORD: context.password, PGSSLMODE: 'require' };
  const elapsed = await seconds(async () => {
    await call('PUT', `/v1/containers/${containerId}/branches/${branch}`, {
      origin: { kind: 'point', containerId, branchId: 'main', pointId: 'p1' },
    });
    status = await call('PUT', `/v1/containers/${containerId}/active`, { branchId: branch });
    await psql(cloneConnection(status.endpoints[0]), 'SELECT 1', env);
  });
  return { elapsed, rows: await countAccounts(cloneConnection(status.endpoints[0]), env) };
}

export default {
  async run(context) {
    const rows = [];
    const runs = runsOf(context.quick);
    for (const scale of scalesOf(context.quick)) {
      const source = await context.source(scale);
      const containerId = `copy${scale}`;
      await context.container(containerId, scale);
      const { call } = await context.agent();
      await call('PUT', `/v1/containers/${containerId}/branches/main/points/p1`);
      const copies = [];
      const branches = [];
      for (let attempt = 1; attempt <= runs; attempt++) {
        const copy = await fullCopy(context, source, attempt);
        const branch = await branchAndStart(context, containerId, attempt);
        for (const result of [copy, branch])
          if (result.rows !== scale * 100000)
            throw new Error(
              `expected ${scale * 100000} pgbench_accounts rows, found ${result.rows}`,
            );
        context.log(
          `scale ${scale} run ${attempt}: full copy ${copy.elapsed.toFixed(2)} s, branch + activate ${branch.elapsed.toFixed(2)} s`,
        );
        copies.push(copy.elapsed);
        branches.push(branch.elapsed);
      }
      const size =
        source.bytes >= 1e9
          ? `${(source.bytes / 1e9).toFixed(2)} GB`
          : `${Math.round(source.bytes / 1e6)} MB`;
      rows.push({
        figure: `branch + activate + first query, pgbench scale ${scale} (${size})`,
        value: median(branches),
        unit: 's',
        baseline: median(copies),
        target: '< full copy',
      });
    }
    return rows;
  },
};

// bookmark, branch and activate on a MariaDB source at the storage agent, as the operations
// module times them on PostgreSQL: the agent calls the control plane's jobs make, until a
// client's first query answers. The floor is the ZFS part alone (the same snapshot or clone
// done directly), so the ratio shows what quiescing (BACKUP STAGE) and mariadbd add.
// Source: a database of 50 000 rows in the demo MariaDB (BP_SOURCE_MARIADB_URL).
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import process from 'node:process';
import { URL, URLSearchParams } from 'node:url';
import mysql from 'mysql2/promise';
import { median, seconds } from '../lib/timing.mjs';

const exec = promisify(execFile);
const ROWS = 50_000;
const WRITE = 'UPDATE items SET n = n + 1 WHERE id % 500 = 0';

export default {
  async run(context) {
    const admin = process.env.BP_SOURCE_MARIADB_URL;
    if (!admin) throw new Error('BP_SOURCE_MARIADB_URL is not set (scripts/setup.sh makes it)');
    const runs = Number(process.env.BENCH_RUNS ?? (context.quick ? 1 : 3));
    const { call } = await context.agent();
    const database = `bench_${randomBytes(4).toString('hex')}`;
    await onSource(admin, [
      `CREATE DATABASE ${database}`,
      `CREATE TABLE ${database}.items (id int PRIMARY KEY, n int NOT NULL, label varchar(64)) ENGINE=InnoDB`,
      `INSERT INTO ${database}.items SELECT seq, 0, CONCAT('item ', seq) FROM ${database}.seq_1_to_${ROWS}`,
    ]);
    context.onCleanup(() => onSource(admin, [`DROP DATABASE IF EXISTS ${database}`]));
    const url = new URL(admin);
    url.pathname = `/${database}`;
    context.log('mariadb: ingest (not timed)');
    await call('PUT', '/v1/templates/maria/versions/v1', {
      sources: [{ id: 'site', kind: 'mariadb', connectionString: url.toString() }],
    });
    const containerId = 'maria';
    const c = `/v1/containers/${containerId}`;
    await call('PUT', c, {
      sources: [{ id: 'site', kind: 'mariadb' }],
      password: context.password,
    });
    context.onCleanup(() => call('DELETE', c).catch(() => {}));
    await call('PUT', `${c}/branches/main`, {
      origin: { kind: 'template', templateId: 'maria', version: 'v1' },
    });
    let status = await call('PUT', `${c}/active`, { branchId: 'main' });
    const query = (sql) => ownerQuery(context, status.endpoints[0], sql);
    let active = 'main';
    let n = 0;
    const id = (prefix) => `${prefix}${++n}`;
    const times = { bookmark: [], branch: [], activate: [] };
    const floors = { snapshot: [], clone: [] };
    for (let attempt = 1; attempt <= runs; attempt++) {
      await query(WRITE);
      const pointId = id('p');
      const hold = { containerId, branchId: active, pointId };
      const tag = id('bm');
      times.bookmark.push(
        await seconds(async () => {
          // One call: the point and its hold (create-bookmark.job).
          await call('PUT', `${c}/branches/${active}/points/${pointId}`, { holdTag: tag });
        }),
      );
      context.onCleanup(() => call('DELETE', `/v1/holds/${tag}?${new URLSearchParams(hold)}`));
      const branchId = id('b');
      times.branch.push(
        await seconds(async () => {
          // One call: the clone and its first point (create-branch.job).
          await call('PUT', `${c}/branches/${branchId}`, {
            origin: { kind: 'point', ...hold },
            firstPointId: id('p'),
          });
        }),
      );
      await query(WRITE);
      times.activate.push(
        await seconds(async () => {
          status = await call('PUT', `${c}/active`, { branchId });
          await query('SELECT 1');
        }),
      );
      active = branchId;
      floors.snapshot.push(await zfsFloor(context, `snapshot`));
      floors.clone.push(await zfsFloor(context, `clone`));
      context.log(
        `mariadb run ${attempt}: ` +
          Object.entries(times)
            .map(([name, values]) => `${name} ${values.at(-1).toFixed(3)} s`)
            .join(', '),
      );
    }
    const snapshot = median(floors.snapshot);
    const clone = median(floors.clone);
    const row = (figure, floor, floorIs) => ({
      figure: `MariaDB ${figure}`,
      value: median(times[figure]),
      unit: 's',
      floor,
      floorIs,
    });
    return [
      row('bookmark', snapshot, 'zfs snapshot (no BACKUP STAGE)'),
      row('branch', clone + snapshot, 'zfs clone + zfs snapshot'),
      row('activate', undefined, 'mariadbd stop + start + first query'),
    ];
  },
};

async function onSource(url, statements) {
  const session = await mysql.createConnection(url);
  try {
    for (const statement of statements) await session.query(statement);
  } finally {
    await session.end();
  }
}

async function ownerQuery(context, endpoint, sql) {
  const session = await mysql.createConnection({
    host: '127.0.0.1',
    port: endpoint.port,
    user: endpoint.username,
    password: context.password,
    database: endpoint.database,
    ssl: { rejectUnauthorized: false },
  });
  try {
    return (await session.query(sql))[0];
  } finally {
    await session.end();
  }
}

let floors = 0;

/**
 * `zfs snapshot` (or `zfs clone` of a snapshot made first) of a scratch dataset, timed. Each
 * call has a dataset of its own, left for the bench root's removal at the end: zfs-fuse calls a
 * fresh clone busy for a moment, so destroying it here failed and the next run found its
 * snapshot there already.
 */
async function zfsFloor(context, what) {
  const dataset = `${context.root}/mariadb-floor${++floors}`;
  await exec('zfs', ['create', '-p', dataset]);
  if (what === 'snapshot') return seconds(() => exec('zfs', ['snapshot', `${dataset}@f`]));
  await exec('zfs', ['snapshot', `${dataset}@f`]);
  return seconds(() => exec('zfs', ['clone', `${dataset}@f`, `${dataset}-clone`]));
}

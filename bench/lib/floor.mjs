// Floors: what the machine needs at least for each step, measured on the same data as the
// operations (a zfs clone of the same template version), without the agent in between.
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { PG_BIN, POSTGRES_GID, POSTGRES_UID, run } from './postgres.mjs';
import { seconds, sleep } from './timing.mjs';

/**
 * A PostgreSQL server on a zfs clone of a template version, started the fastest way (the
 * postmaster spawned directly, readiness polled every 2 ms), for the floors of stop/start.
 */
export async function floorServer(context, { templateId, version }, port) {
  const dataset = `${context.root}/floor-${port}`;
  await run('zfs', ['clone', `${context.root}/templates/${templateId}/db@${version}`, dataset]);
  context.onCleanup(() => run('zfs', ['destroy', '-R', dataset]).catch(() => {}));
  const { stdout } = await run('zfs', ['get', '-H', '-o', 'value', 'mountpoint', dataset]);
  const dataDir = stdout.trim();
  await run('chown', ['-R', `${POSTGRES_UID}:${POSTGRES_GID}`, dataDir]);
  await run('rm', ['-f', join(dataDir, 'postmaster.pid')]);
  // The floor server's own socket directory (0700, postgres) and access file: only root and
  // postgres reach it, for the length of the bench.
  const socketDir = join(context.work, `floor-${port}`);
  mkdirSync(socketDir, { recursive: true, mode: 0o700 });
  chownSync(socketDir, POSTGRES_UID, POSTGRES_GID);
  chmodSync(socketDir, 0o700);
  const hba = join(socketDir, 'hba.conf');
  writeFileSync(hba, 'local all all trust\n');
  let child = null;
  const server = {
    dataset,
    dataDir,
    /** Spawns the postmaster and waits until a query answers. */
    async start() {
      child = spawn(
        join(PG_BIN, 'postgres'),
        [
          '-D',
          dataDir,
          '-p',
          String(port),
          '-k',
          socketDir,
          '-c',
          'listen_addresses=',
          '-c',
          `hba_file=${hba}`,
          // As the agent starts clones: a start in crash recovery syncs the filesystem once
          // instead of fsyncing each file (the floor is the fastest start the machine has).
          '-c',
          'recovery_init_sync_method=syncfs',
          // As the agent runs them too: a checkpoint without the replication-origin file's fsyncs.
          '-c',
          'max_replication_slots=0',
        ],
        { uid: POSTGRES_UID, gid: POSTGRES_GID, cwd: dataDir, stdio: 'ignore', detached: true },
      );
      for (let i = 0; i < 100000; i++) {
        if (child.exitCode !== null) throw new Error(`floor server on ${dataDir} exited`);
        const client = new pg.Client({
          host: socketDir,
          port,
          user: 'postgres',
          database: 'postgres',
        });
        client.on('error', () => undefined);
        try {
          await client.connect();
          await client.query('SELECT 1');
          return;
        } catch {
          await sleep(2);
        } finally {
          await client.end().catch(() => undefined);
        }
      }
    },
    /** Fast shutdown (SIGINT), until the postmaster is gone. */
    async stop() {
      if (!child || child.exitCode !== null) return;
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGINT');
      await exited;
    },
    /** A query in the pgbench database. */
    async query(sql) {
      const client = new pg.Client({ host: socketDir, port, user: 'postgres', database: 'bench' });
      client.on('error', () => undefined);
      await client.connect();
      try {
        return (await client.query(sql)).rows;
      } finally {
        await client.end();
      }
    },
  };
  context.onCleanup(() => server.stop());
  return server;
}

let runs = 0;

/** The floors of the steps operations are made of, each once on a running floor server. */
export async function measureFloors(context, server, write) {
  await write(server);
  const checkpoint = await seconds(() => server.query('CHECKPOINT'));
  // Names of their own per run: zfs-fuse calls a fresh clone busy for a moment, so clones and
  // their snapshots go with the bench's root at the end.
  const point = `${server.dataset}@floor${++runs}`;
  const snapshot = await seconds(() => run('zfs', ['snapshot', point]));
  const clone = await seconds(() => run('zfs', ['clone', point, `${server.dataset}-c${runs}`]));
  // What a branch's layout adds to its clone: an empty filesystem (the branch's, the
  // generation's) and a property set on one (the branch's current generation).
  const empty = `${server.dataset}-f${runs}`;
  const filesystem = await seconds(() => run('zfs', ['create', empty]));
  const property = await seconds(() => run('zfs', ['set', 'branchpoint:floor=1', empty]));
  // A server stops with what was written since its last checkpoint, as an activated one does.
  await write(server);
  const stop = await seconds(() => server.stop());
  const rollback = await seconds(() => run('zfs', ['rollback', point]));
  const start = await seconds(() => server.start());
  return { checkpoint, snapshot, clone, filesystem, property, rollback, restart: stop + start };
}

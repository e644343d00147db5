// PostgreSQL outside the agent: pgbench sources, full copies and floor servers, run as the
// postgres OS user (servers refuse to run as root).
import { execFile } from 'node:child_process';
import { appendFileSync, chownSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sleep } from './timing.mjs';

export const run = promisify(execFile);

export const PG_BIN = required('BP_PG_BIN');
export const POSTGRES_UID = Number((await run('id', ['-u', 'postgres'])).stdout);
export const POSTGRES_GID = Number((await run('id', ['-g', 'postgres'])).stdout);

export function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run through npm run bench`);
  return value;
}

/** Runs a PostgreSQL tool as the postgres OS user. */
export function asPostgres(tool, args, env = {}) {
  return run('runuser', ['-u', 'postgres', '--', join(PG_BIN, tool), ...args], {
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
}

export function postgresDir(path) {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  chownSync(path, POSTGRES_UID, POSTGRES_GID);
  return path;
}

/** pg_ctl start -w on a directory the postgres user owns, listening on 127.0.0.1 and the directory. */
export async function startServer(dataDir, port, extra = '') {
  await asPostgres('pg_ctl', [
    '-D',
    dataDir,
    '-l',
    join(dataDir, 'server.log'),
    '-w',
    '-t',
    '300',
    '-o',
    `-p ${port} -c listen_addresses=127.0.0.1 -k ${dataDir} ${extra}`,
    'start',
  ]);
}

export async function stopServer(dataDir, mode = 'fast') {
  await asPostgres('pg_ctl', ['-D', dataDir, '-m', mode, '-w', 'stop']).catch(() => {});
}

export async function waitUntilAccepting(port) {
  for (let i = 0; i < 15000; i++) {
    try {
      await run(join(PG_BIN, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(port)]);
      return;
    } catch {
      await sleep(5);
    }
  }
  throw new Error(`nothing accepts connections on port ${port}`);
}

/** One query through psql; answers its output. `connection` holds -h/-p/-U/-d as psql flags. */
export async function psql(connection, sql, env = {}) {
  const { stdout } = await run(
    join(PG_BIN, 'psql'),
    [...connection, '-v', 'ON_ERROR_STOP=1', '-Atc', sql],
    {
      env: { ...process.env, ...env },
    },
  );
  return stdout.trim();
}

/** A source cluster holding one pgbench database of the given scale, owned by role `bench`. */
export async function createSource({ dir, port, scale, password, log }) {
  postgresDir(dir);
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
  await startServer(dir, port, '-c wal_level=replica -c max_wal_senders=4');
  const local = (sql, db = 'postgres') =>
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
  await local(`CREATE ROLE bench LOGIN SUPERUSER REPLICATION PASSWORD '${password}'`);
  await local('CREATE DATABASE bench OWNER bench');
  await local('SELECT pg_reload_conf()');
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
  await local('CHECKPOINT');
  const { stdout } = await run('du', ['-sb', dir]);
  return {
    scale,
    dir,
    port,
    bytes: Number(stdout.split('\t')[0]),
    url: `postgres://bench:${password}@127.0.0.1:${port}/bench`,
    urlWithoutPassword: `postgres://bench@127.0.0.1:${port}/bench`,
  };
}

import { withClient } from '@branchpoint/testing';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';

// The dev stack's private services and files as a tenant sees them. A program an owner runs
// inside a clone (COPY … FROM PROGRAM, say) runs as an OS uid of its own with no passwd entry;
// from there nothing of the stack may answer it without credentials. Runs against the real
// stack of `eval "$(bash scripts/setup.sh)"`; what was configured from outside (DATABASE_URL,
// REDIS_URL, BP_SOURCE_ADMIN_URL pointing elsewhere) is not the stack's, and is skipped.

const TENANT_UID = 2_999_999;
const dataDir = required('BP_DATA_DIR');
const pgBin = required('BP_PG_BIN');
const redisUrl = new URL(required('REDIS_URL'));

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run eval "$(bash scripts/setup.sh)" first`);
  return value;
}

interface Outcome {
  status: number | null;
  output: string;
}

/** Runs a command as the tenant uid, with no passwd entry, no HOME and nothing of our environment. */
function asTenant(command: string, args: string[], env: Record<string, string> = {}): Outcome {
  const result = spawnSync(command, args, {
    uid: TENANT_UID,
    gid: TENANT_UID,
    cwd: '/',
    env: { PATH: '/usr/bin:/bin', PGCONNECT_TIMEOUT: '5', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function mode(path: string): number {
  return statSync(path).mode & 0o777;
}

function readableFiles(dir: string): string[] {
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

/** The port a stack-managed service was started on, or null when its folder is not there. */
function managedPort(file: string): number | null {
  return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : null;
}

function clusterPort(dir: string): number | null {
  if (!existsSync(join(dir, 'postgresql.conf'))) return null;
  const ports = [...readFileSync(join(dir, 'postgresql.conf'), 'utf8').matchAll(/^port = (\d+)/gm)];
  return ports.length > 0 ? Number(ports.at(-1)![1]) : null;
}

describe('the tenant uid', () => {
  it('can run the commands the checks below use (so their refusals mean something)', () => {
    expect(process.getuid?.(), 'spawning as another uid needs root, as the stack does').toBe(0);
    expect(asTenant('id', ['-u']).output.trim()).toBe(String(TENANT_UID));
    expect(asTenant(join(pgBin, 'psql'), ['--version']).status).toBe(0);
    expect(asTenant('redis-cli', ['--version']).status).toBe(0);
  });
});

const ownRedis = managedPort(join(dataDir, 'redis', 'port')) === Number(redisUrl.port);

describe.runIf(ownRedis)("the stack's Redis", () => {
  const host = redisUrl.hostname;
  const port = redisUrl.port;

  it('answers a client without the password with NOAUTH', () => {
    for (const command of [['PING'], ['KEYS', '*'], ['CONFIG', 'GET', 'requirepass']]) {
      const outcome = asTenant('redis-cli', ['-h', host, '-p', port, ...command]);
      expect(outcome.output, command.join(' ')).toMatch(/NOAUTH/);
    }
  });

  it('takes the password in REDIS_URL, the way the control plane, BullMQ and socket.io connect', async () => {
    expect(decodeURIComponent(redisUrl.password)).not.toBe('');
    const redis = new Redis(redisUrl.toString(), { maxRetriesPerRequest: 1, lazyConnect: true });
    try {
      await redis.connect();
      expect(await redis.ping()).toBe('PONG');
    } finally {
      redis.disconnect();
    }
  });

  it('has its password in a 0600 file, not on its command line', () => {
    const dir = join(dataDir, 'redis');
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, 'redis.conf'))).toBe(0o600);
    const pid = readFileSync(join(dir, 'redis.pid'), 'utf8').trim();
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    expect(commandLine).not.toContain(decodeURIComponent(redisUrl.password));
  });
});

const clusters = [
  { name: 'metadata', url: process.env['DATABASE_URL'] ?? '', dir: join(dataDir, 'pg-meta') },
  {
    name: 'source',
    url: process.env['BP_SOURCE_ADMIN_URL'] ?? '',
    dir: join(dataDir, 'pg-source'),
  },
].map((cluster) => ({
  ...cluster,
  own: cluster.url !== '' && clusterPort(cluster.dir) === Number(new URL(cluster.url).port),
}));

describe.each(clusters)("the stack's $name PostgreSQL", ({ url, dir, own }) => {
  const psql = join(pgBin, 'psql');
  const parsed = own ? new URL(url) : new URL('postgres://x@127.0.0.1:1/x');
  const user = decodeURIComponent(parsed.username);
  const database = parsed.pathname.slice(1);
  const tcp = ['-w', '-h', parsed.hostname, '-p', parsed.port, '-U', user, '-d', database];

  it.runIf(own)('refuses a client over TCP without a password', () => {
    const outcome = asTenant(psql, [...tcp, '-c', 'SELECT 1']);
    expect(outcome.status).not.toBe(0);
    expect(outcome.output).toMatch(/no password supplied/);
  });

  it.runIf(own)('refuses the well-known password earlier runs gave its role', () => {
    const outcome = asTenant(psql, [...tcp, '-c', 'SELECT 1'], { PGPASSWORD: user });
    expect(outcome.status).not.toBe(0);
    expect(outcome.output).toMatch(/password authentication failed/);
  });

  it.runIf(own)('keeps its socket in a directory other uids cannot enter', () => {
    const socketDir = join(dataDir, 'run');
    expect(statSync(socketDir).uid).not.toBe(TENANT_UID);
    expect(mode(socketDir) & 0o007).toBe(0);
    for (const role of ['postgres', user]) {
      const outcome = asTenant(psql, [
        '-w',
        '-h',
        socketDir,
        '-p',
        parsed.port,
        '-U',
        role,
        '-d',
        'postgres',
        '-c',
        'SELECT 1',
      ]);
      expect(outcome.status, role).not.toBe(0);
      expect(outcome.output, role).toMatch(/Permission denied/);
    }
  });

  it.runIf(own)(
    'trusts nobody: the socket is peer for the postgres OS user only, TCP asks for a password',
    () => {
      const rules = readFileSync(join(dir, 'pg_hba.conf'), 'utf8')
        .split('\n')
        .map((line) => line.replace(/#.*/, '').trim().split(/\s+/))
        .filter((fields) => fields[0] !== '');
      expect(rules.length).toBeGreaterThan(0);
      for (const rule of rules) {
        if (rule[0] === 'local')
          expect(rule.slice(2), rule.join(' ')).toEqual(['postgres', 'peer']);
        else expect(rule[4], rule.join(' ')).toBe('scram-sha-256');
      }
    },
  );

  it.runIf(own)('admits the password in its URL', async () => {
    const name = await withClient(url, (client) =>
      client.query<{ user: string }>('SELECT current_user AS user'),
    );
    expect(name.rows[0]?.user).toBe(user);
  });
});

describe("the stack's files", () => {
  it('keeps the data folder and the pool folder traversable but not listable by other uids', () => {
    expect(mode(dataDir) & 0o007).toBe(0o001);
    expect(asTenant('ls', [dataDir]).output).toMatch(/Permission denied/);
    const poolDir = join(dataDir, 'zfs');
    if (existsSync(poolDir)) expect(mode(poolDir) & 0o007).toBe(0o001);
    const image = join(poolDir, 'pool.img');
    if (existsSync(image)) {
      expect(mode(image)).toBe(0o600);
      expect(asTenant('head', ['-c', '1', image]).output).toMatch(/Permission denied/);
    }
  });

  it.each(['secrets', 'logs', 'pids'])('keeps %s/ to root (0700, files 0600)', (name) => {
    const dir = join(dataDir, name);
    expect(mode(dir)).toBe(0o700);
    expect(asTenant('ls', [dir]).output).toMatch(/Permission denied/);
    if (name === 'pids') return;
    for (const file of readableFiles(dir)) {
      expect(mode(file), file).toBe(0o600);
      expect(asTenant('cat', [file]).output, file).toMatch(/Permission denied/);
    }
  });

  it('shows no secret on any command line (every uid can read /proc/<pid>/cmdline)', () => {
    const secrets = readableFiles(join(dataDir, 'secrets'))
      .map((file) => ({ file, value: readFileSync(file, 'utf8').trim() }))
      .filter(({ value }) => value.length >= 16);
    const leaks: string[] = [];
    for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      let commandLine: string;
      try {
        commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        continue; // exited meanwhile
      }
      for (const { file, value } of secrets)
        if (commandLine.includes(value)) leaks.push(`pid ${pid} shows ${file}`); // not the value
    }
    expect(leaks).toEqual([]);
  });

  it('has generated passwords for Redis and both PostgreSQL clusters in secrets/', () => {
    const names = readdirSync(join(dataDir, 'secrets'));
    if (ownRedis) expect(names).toContain('redis-password');
    if (clusters[0]!.own) expect(names).toContain('metadata-db-password');
    if (clusters[1]!.own) expect(names).toContain('source-db-password');
  });
});

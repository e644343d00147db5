import { readFile } from 'node:fs/promises';

export interface OsUser {
  name: string;
  uid: number;
  gid: number;
}

let cached: Promise<OsUser> | undefined;

/** The `postgres` OS account that owns data directories and runs servers (PostgreSQL refuses root). */
export function postgresUser(): Promise<OsUser> {
  cached ??= readFile('/etc/passwd', 'utf8').then((passwd) => {
    const line = passwd.split('\n').find((entry) => entry.startsWith('postgres:'));
    const [, , uid, gid] = line?.split(':') ?? [];
    if (uid === undefined || gid === undefined)
      throw new Error('the postgres OS user does not exist');
    return { name: 'postgres', uid: Number(uid), gid: Number(gid) };
  });
  return cached;
}

/** A minimal environment for servers and tools run as the postgres user. */
export function postgresEnv(
  name: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: '/var/lib/postgresql',
    USER: name,
    LANG: 'C.UTF-8',
    ...extra,
  };
}

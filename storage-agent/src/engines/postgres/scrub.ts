import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import type pg from 'pg';
import { AgentFailure } from '../../common/agent-failure.js';
import { connectableDatabases, inEachDatabase, type ConnectDatabase } from './cluster-databases.js';

// A production setting (postgresql.auto.conf, ALTER ROLE … SET) must not cut a rewrite short.
const MAINTENANCE_SESSION =
  "SET statement_timeout = 0; SET lock_timeout = 0; SET maintenance_work_mem = '256MB'";

/**
 * Leaves no trace of the values masking hooks replaced in any database's files: a masking UPDATE
 * leaves the old row versions (dead tuples) in tables and TOAST, their keys in indexes, and old
 * values in pg_statistic (most common values, histograms). In each database, ANALYZE first, so
 * pg_statistic holds statistics of the masked data only (the rows it replaced become dead), then a
 * plain VACUUM FULL that rewrites every table, the catalogs included, and rebuilds every index.
 * VACUUM (FULL, ANALYZE) would write pg_statistic again after rewriting it and leave dead rows.
 * Old files are truncated at once and unlinked at the next checkpoint (the clean stop's). Every
 * database that accepts connections when `databases` is not given.
 */
export async function scrubDatabases(
  connect: ConnectDatabase,
  databases?: string[],
): Promise<void> {
  const names = databases ?? (await listDatabases(connect));
  await inEachDatabase(connect, names, async (client) => {
    await client.query(MAINTENANCE_SESSION);
    await client.query('ANALYZE');
    await client.query('VACUUM FULL');
  });
}

/**
 * Removes dropped or replaced password verifiers from the files (run after sanitizeRoles, with or
 * without hooks): pg_authid is rewritten once (it is shared by all databases), and in each database
 * its statistics, which can hold verifiers as histogram values, are taken again and pg_statistic
 * rewritten. `client` is a superuser session; every database that accepts connections is visited.
 */
export async function vacuumRoles(client: pg.Client, connect: ConnectDatabase): Promise<void> {
  await client.query(MAINTENANCE_SESSION);
  await client.query('VACUUM FULL pg_catalog.pg_authid');
  await inEachDatabase(connect, await connectableDatabases(client), async (session) => {
    await session.query(MAINTENANCE_SESSION);
    await session.query('ANALYZE pg_catalog.pg_authid');
    await session.query('VACUUM FULL pg_catalog.pg_statistic');
  });
}

/**
 * Replaces the WAL of a cleanly stopped cluster with one empty segment (pg_resetwal, run as the
 * data directory's owner: it refuses root). The WAL written before holds full-page images of
 * pages as they were before masking, and the old password verifiers; a finished segment is not
 * emptied but recycled (renamed and overwritten only as new WAL arrives), so its old bytes would
 * stay in every snapshot and clone. History and backup-label files and archive status files go
 * too. Refuses a cluster that was not stopped cleanly (pg_resetwal would lose data there).
 */
export async function resetWal(
  pgBin: string,
  dataDir: string,
  user: { uid: number; gid: number },
): Promise<void> {
  const walDir = path.join(dataDir, 'pg_wal');
  const stat = await lstat(walDir);
  if (!stat.isDirectory())
    throw new AgentFailure(500, 'ingest-failed', `${walDir} is not a directory`);
  // The data directory belongs to the tenant, so its files are removed as the tenant: root would
  // follow a link planted there.
  const asOwner = {
    uid: user.uid,
    gid: user.gid,
    cwd: '/',
    reject: false,
    stdin: 'ignore',
  } as const;
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LANG: 'C.UTF-8' };
  const reset = await execa(path.join(pgBin, 'pg_resetwal'), ['-D', dataDir], {
    ...asOwner,
    env,
    extendEnv: false,
  });
  if (reset.exitCode !== 0)
    throw new AgentFailure(
      500,
      'ingest-failed',
      `pg_resetwal on ${dataDir} failed: ${String(reset.stderr || reset.shortMessage).trim()}`,
    );
  const segment = '[0-9A-F]'.repeat(24);
  const leftovers = await execa(
    'find',
    [walDir, path.join(walDir, 'archive_status'), '-mindepth', '1', '-maxdepth', '1']
      // archive_status entries, links, and every file of pg_wal that is not a segment
      .concat(['(', '-path', path.join(walDir, 'archive_status', '*'), '-o', '-type', 'l'])
      .concat(['-o', '-type', 'f', '!', '-name', segment, ')', '-delete']),
    { ...asOwner, env, extendEnv: false },
  );
  if (leftovers.exitCode !== 0)
    throw new AgentFailure(
      500,
      'ingest-failed',
      `clearing ${walDir} failed: ${String(leftovers.stderr || leftovers.shortMessage).trim()}`,
    );
  const segments = (await readdir(walDir)).filter((name) => /^[0-9A-F]{24}$/.test(name));
  if (segments.length !== 1)
    throw new AgentFailure(
      500,
      'ingest-failed',
      `${walDir} holds ${segments.length} WAL segments after pg_resetwal, expected 1`,
    );
}

async function listDatabases(connect: ConnectDatabase): Promise<string[]> {
  const client = await connect();
  try {
    return await connectableDatabases(client);
  } finally {
    await client.end();
  }
}

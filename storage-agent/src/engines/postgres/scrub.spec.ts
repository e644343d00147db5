import { chown, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sanitizeRoles } from './clone-roles.js';
import { resetWal, scrubDatabases, vacuumRoles } from './scrub.js';
import { clusterUnavailable, PG_BIN, ThrowawayCluster } from './throwaway-cluster.testing.js';

const unavailable = clusterUnavailable();
if (unavailable) console.warn(`scrub.spec: skipped, ${unavailable}`);

const underWal = (file: string) => file.startsWith('pg_wal/');

// Tests start and stop a real cluster: seconds on a loaded machine.
describe.skipIf(unavailable !== null)(
  'scrubbing masked data (a real throwaway cluster)',
  { timeout: 60_000 },
  () => {
    let cluster: ThrowawayCluster;
    const connect = (database = 'postgres') => cluster.connect(database);
    let statisticFile: string;

    beforeAll(async () => {
      cluster = await ThrowawayCluster.create('postgres');
      await cluster.start();
      const admin = await connect();
      await admin.query('CREATE DATABASE shop');
      await admin.end();
      const shop = await connect('shop');
      try {
        // Production: real addresses, an index on them, and statistics (histogram bounds) of them.
        await shop.query('CREATE TABLE customers (id int PRIMARY KEY, email text NOT NULL)');
        await shop.query(
          "INSERT INTO customers SELECT i, 'person' || i || '@real-company.com' FROM generate_series(1, 2000) i",
        );
        await shop.query('CREATE INDEX customers_email ON customers (email)');
        // A small histogram stays uncompressed in pg_statistic, so a byte search can see it.
        await shop.query('ALTER TABLE customers ALTER COLUMN email SET STATISTICS 10');
        await shop.query('ANALYZE customers');
        statisticFile = (
          await shop.query<{ file: string }>("SELECT pg_relation_filepath('pg_statistic') AS file")
        ).rows[0]!.file;
        // The afterIngest hook.
        await shop.query("UPDATE customers SET email = 'masked' || id || '@example.com'");
        await shop.query('CHECKPOINT');
      } finally {
        await shop.end();
      }
    }, 60_000);

    afterAll(() => cluster?.destroy());

    it('finds the original values after masking alone, in tables, indexes or statistics and in WAL', async () => {
      const hits = await cluster.filesContaining('real-company.com');
      expect(hits.filter((file) => !underWal(file)).length).toBeGreaterThan(1);
      expect(hits).toContain(statisticFile);
      expect(hits.filter(underWal).length).toBeGreaterThan(0);
    });

    it('scrubDatabases leaves them only in WAL; resetWal removes that too', async () => {
      await scrubDatabases(connect);
      await cluster.stop();
      const afterScrub = await cluster.filesContaining('real-company.com');
      expect(afterScrub.length).toBeGreaterThan(0);
      expect(afterScrub.filter((file) => !underWal(file))).toEqual([]);

      // Leftovers pg_resetwal keeps: a history file and an archive status file.
      const walDir = path.join(cluster.dataDir, 'pg_wal');
      for (const file of ['00000002.history', 'archive_status/000000010000000000000001.ready']) {
        await writeFile(path.join(walDir, file), 'person1@real-company.com');
        await chown(path.join(walDir, file), cluster.user.uid, cluster.user.gid);
      }
      await resetWal(PG_BIN, cluster.dataDir, cluster.user);

      expect(await cluster.filesContaining('real-company.com')).toEqual([]);
      const wal = await readdir(walDir);
      expect(wal.filter((name) => name !== 'archive_status')).toEqual([
        expect.stringMatching(/^[0-9A-F]{24}$/),
      ]);
      expect(await readdir(path.join(walDir, 'archive_status'))).toEqual([]);
    });

    it('leaves a cluster that starts, with every masked row and a working index', async () => {
      await cluster.start();
      const shop = await connect('shop');
      try {
        const { rows } = await shop.query<{ masked: number }>(
          "SELECT count(*)::int AS masked FROM customers WHERE email = 'masked' || id || '@example.com'",
        );
        expect(rows[0]!.masked).toBe(2000);
        const stats = await shop.query<{ bounds: string }>(
          "SELECT histogram_bounds::text AS bounds FROM pg_stats WHERE tablename = 'customers' AND attname = 'email'",
        );
        expect(stats.rows[0]!.bounds).toMatch(/^\{masked\d+@example\.com,/);
        await shop.query('SET enable_seqscan = off');
        const found = await shop.query<{ id: number }>(
          "SELECT id FROM customers WHERE email = 'masked1234@example.com'",
        );
        expect(found.rows).toEqual([{ id: 1234 }]);
      } finally {
        await shop.end();
      }
    });

    it('refuses to reset the WAL of a cluster that runs or was not stopped cleanly', async () => {
      await expect(resetWal(PG_BIN, cluster.dataDir, cluster.user)).rejects.toThrow(/pg_resetwal/);
    });
  },
);

describe.skipIf(unavailable !== null)(
  'scrubbing old passwords (a real throwaway cluster)',
  { timeout: 60_000 },
  () => {
    let cluster: ThrowawayCluster;
    const connect = (database = 'postgres') => cluster.connect(database);
    // The StoredKey part of each verifier production held: unique bytes to look for.
    let storedKeys: string[];

    beforeAll(async () => {
      cluster = await ThrowawayCluster.create('postgres');
      await cluster.start();
      const admin = await connect();
      try {
        await admin.query("CREATE ROLE app LOGIN SUPERUSER PASSWORD 'secret'");
        for (let n = 1; n <= 6; n++)
          await admin.query(`CREATE ROLE user${n} LOGIN PASSWORD 'password-${n}'`);
        // As autovacuum would in production: statistics of pg_authid, verifiers in histograms.
        await admin.query('ANALYZE');
        const { rows } = await admin.query<{ rolpassword: string }>(
          'SELECT rolpassword FROM pg_authid WHERE rolpassword IS NOT NULL',
        );
        storedKeys = rows.map((row) => row.rolpassword.split('$')[2]!.split(':')[0]!);
        expect(storedKeys).toHaveLength(7);
      } finally {
        await admin.end();
      }
    }, 60_000);

    afterAll(() => cluster?.destroy());

    const filesWithVerifiers = () => cluster.filesContaining(...storedKeys);

    it('sanitizeRoles from a session of another superuser demotes that role last', async () => {
      const asApp: pg.Client = await cluster.connect('postgres', 'app');
      try {
        const result = await sanitizeRoles(asApp, connect);
        expect(result.bootstrap).toBe('postgres');
        const { rows } = await asApp.query<{ rolsuper: boolean; rolcanlogin: boolean }>(
          "SELECT rolsuper, rolcanlogin FROM pg_roles WHERE rolname = 'app'",
        );
        expect(rows[0]).toEqual({ rolsuper: false, rolcanlogin: false });
      } finally {
        await asApp.end();
      }
      const admin = await connect();
      try {
        await admin.query('CHECKPOINT');
      } finally {
        await admin.end();
      }
      // The dropped verifiers are still in pg_authid's file (dead rows) and in pg_statistic.
      expect((await filesWithVerifiers()).filter((file) => !underWal(file))).toContain(
        'global/1260',
      );
    });

    it('vacuumRoles and resetWal leave no old verifier in any file', async () => {
      const admin = await connect();
      try {
        await vacuumRoles(admin, connect);
      } finally {
        await admin.end();
      }
      await cluster.stop();
      expect((await filesWithVerifiers()).filter((file) => !underWal(file))).toEqual([]);
      await resetWal(PG_BIN, cluster.dataDir, cluster.user);
      expect(await filesWithVerifiers()).toEqual([]);
    });
  },
);

import { randomBytes } from 'node:crypto';
import { lstat, readFile, stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerStatus, ServerSettingsResult } from '@branchpoint/contracts';
import {
  activeContainer,
  cloneConnection,
  mountpointOf,
  startWorld,
  withClient,
  type ActiveContainer,
  type World,
} from './harness.js';

// An attacker's view: Mallory owns container `mallory` (an ordinary owner) and container `root`
// (a template that lets owners be superusers, so she can run programs on the host through her
// server). Victor owns container `victor`. Nothing Mallory runs may reach Victor's clone, the
// template's data, the agent's secrets or root.
const PROD_ROLE = `prod_app_${randomBytes(3).toString('hex')}`;
const PROD_PASSWORD = 'production-secret-1';
const PSQL = `${process.env['BP_PG_BIN'] ?? '/usr/lib/postgresql/15/bin'}/psql`;

describe('tenant isolation on the storage host', () => {
  let world: World;
  let mallory: ActiveContainer;
  let superMallory: ActiveContainer;
  let victor: ActiveContainer;
  let runDir: string;

  /** Runs a shell command through COPY FROM PROGRAM in Mallory's superuser clone; answers its output lines. */
  const onHost = (command: string): Promise<string[]> =>
    withClient(
      cloneConnection(superMallory.port, world.source.name, 'mallory-pass-1'),
      async (db) => {
        await db.query('CREATE TEMP TABLE out (line text)');
        // CSV with control characters as delimiter and quote: every output line as it is.
        await db.query(
          `COPY out FROM PROGRAM ${db.escapeLiteral(`${command} 2>&1; true`)}
             WITH (FORMAT csv, DELIMITER E'\\x01', QUOTE E'\\x02')`,
        );
        return (await db.query<{ line: string }>('SELECT line FROM out')).rows.map(
          (row) => row.line,
        );
      },
    );

  const dataDirOf = async (containerId: string) =>
    mountpointOf(`${world.root}/containers/${containerId}/main/g0/${world.sourceId}`);

  beforeAll(async () => {
    world = await startWorld({ ports: '56500-56549', rows: 5, templateId: 'crm' });
    await withClient(world.source.connectionString, async (db) => {
      await db.query(
        `CREATE ROLE ${PROD_ROLE} LOGIN SUPERUSER PASSWORD ${db.escapeLiteral(PROD_PASSWORD)}`,
      );
      await db.query(`CREATE TABLE secrets_of_prod (id int PRIMARY KEY, v text)`);
      await db.query(`ALTER TABLE secrets_of_prod OWNER TO ${PROD_ROLE}`);
      await db.query(`INSERT INTO secrets_of_prod VALUES (1, 'prod row')`);
    });
    expect((await world.ingest('v1')).status).toBe(200);
    mallory = await activeContainer(world, { containerId: 'mallory', password: 'mallory-pass-1' });
    victor = await activeContainer(world, { containerId: 'victor', password: 'victor-pass-22' });
    superMallory = await activeContainer(world, {
      containerId: 'root',
      password: 'mallory-pass-1',
      settings: { ownerSuperuser: true },
    });
    runDir = world.runDir;
  });

  afterAll(async () => {
    await world?.stop();
    await withClient(process.env['BP_SOURCE_ADMIN_URL'] ?? '', (db) =>
      db.query(`DROP ROLE IF EXISTS ${PROD_ROLE}`),
    );
  });

  describe('an ordinary owner', () => {
    it('owns the data but is no superuser', async () => {
      const [me] = await mallory.query<{ rolsuper: boolean }>(
        'SELECT rolsuper FROM pg_roles WHERE rolname = current_user',
      );
      expect(me?.rolsuper).toBe(false);
      // Owner rights over what production's roles made: write, and DDL such as an index.
      await mallory.query("INSERT INTO secrets_of_prod VALUES (2, 'mine')");
      await mallory.query('CREATE INDEX ON secrets_of_prod (v)');
      await mallory.query('ALTER TABLE items ADD COLUMN note text');
      const roles = await mallory.query<{ role: string }>(
        `SELECT r AS role FROM unnest(ARRAY['pg_monitor','pg_read_all_stats','pg_signal_backend']) r
          WHERE pg_has_role(current_user, r, 'MEMBER')`,
      );
      expect(roles.map((row) => row.role).sort()).toEqual([
        'pg_monitor',
        'pg_read_all_stats',
        'pg_signal_backend',
      ]);
    });

    it.each([
      ['runs a program', "COPY (SELECT 1) TO PROGRAM 'id'"],
      ['reads a host file', "SELECT pg_read_binary_file('/etc/passwd')"],
      ['lists a directory', "SELECT pg_ls_dir('/')"],
      ['imports a file as a large object', "SELECT lo_import('/etc/passwd')"],
      ['writes a host file', "COPY (SELECT 'x') TO '/tmp/bp-owned'"],
      ['creates an untrusted extension', 'CREATE EXTENSION file_fdw'],
      ['changes a server setting', "ALTER SYSTEM SET work_mem = '64MB'"],
      ['becomes the bootstrap superuser', 'SET ROLE postgres'],
      ['grants itself program execution', 'GRANT pg_execute_server_program TO current_user'],
      ['makes itself superuser', 'ALTER ROLE current_user SUPERUSER'],
    ])('is refused when it %s', async (_what, sql) => {
      await expect(mallory.query(sql)).rejects.toThrow(
        /permission denied|must be superuser|must have admin option/i,
      );
    });

    it('gains nothing by becoming a production role that was a superuser', async () => {
      // The owner is a member of production's roles (so it owns their objects), but none of them
      // is a superuser or may log in any more.
      await expect(
        withClient(
          cloneConnection(mallory.port, world.source.name, 'mallory-pass-1'),
          async (db) => {
            await db.query(`SET ROLE ${PROD_ROLE}`);
            await db.query("COPY (SELECT 1) TO PROGRAM 'id'");
          },
        ),
      ).rejects.toThrow(/permission denied|must be superuser/i);
      const [prod] = await superMallory.query<{ rolsuper: boolean; rolcanlogin: boolean }>(
        'SELECT rolsuper, rolcanlogin FROM pg_roles WHERE rolname = $1',
        [PROD_ROLE],
      );
      expect(prod).toEqual({ rolsuper: false, rolcanlogin: false });
    });
  });

  describe('the network surface', () => {
    it("does not let production's passwords into a clone", async () => {
      await expect(
        withClient(
          cloneConnection(mallory.port, world.source.name, PROD_PASSWORD, PROD_ROLE),
          (db) => db.query('SELECT 1'),
        ),
      ).rejects.toThrow();
      const verifiers = await superMallory.query<{ rolname: string }>(
        'SELECT rolname FROM pg_authid WHERE rolpassword IS NOT NULL ORDER BY rolname',
      );
      expect(verifiers.map((row) => row.rolname)).toEqual(['branchpoint']);
    });

    it('speaks TLS only, with a certificate of the host CA, on the configured address', async () => {
      await expect(
        withClient(
          { ...cloneConnection(mallory.port, world.source.name, 'mallory-pass-1'), ssl: false },
          (db) => db.query('SELECT 1'),
        ),
      ).rejects.toThrow(/no encryption|pg_hba/);
      const [row] = await mallory.query<{ ssl: boolean; listen: string }>(
        `SELECT ssl, current_setting('listen_addresses') AS listen
           FROM pg_stat_ssl WHERE pid = pg_backend_pid()`,
      );
      expect(row).toEqual({ ssl: true, listen: '127.0.0.1' });
    });

    it("refuses one owner's password on another's clone", async () => {
      await expect(
        withClient(cloneConnection(victor.port, world.source.name, 'mallory-pass-1'), (db) =>
          db.query('SELECT 1'),
        ),
      ).rejects.toThrow(/password authentication failed/);
    });
  });

  describe('a superuser owner running programs on the host', () => {
    it('runs them as its own uid, never root or postgres', async () => {
      const [uid] = await onHost('id -u');
      const postgresUid = (await readFile('/etc/passwd', 'utf8'))
        .split('\n')
        .find((line) => line.startsWith('postgres:'))
        ?.split(':')[2];
      expect(Number(uid)).toBeGreaterThanOrEqual(3_000_000);
      expect(uid).not.toBe(postgresUid);
      const dataDir = await dataDirOf('root');
      expect((await stat(dataDir)).uid).toBe(Number(uid));
      expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
    });

    it("reads nothing of another clone, the template or the agent's secrets", async () => {
      const victorDir = await dataDirOf('victor');
      const templateDir = await mountpointOf(`${world.root}/templates/crm/${world.sourceId}`);
      for (const file of [
        `${victorDir}/PG_VERSION`,
        `${templateDir}/PG_VERSION`,
        `${runDir}/tls/clone-ca.key`,
        `${runDir}/tls/agent.key`,
        `${runDir}/servers/victor/server.key`,
        `${runDir}/logs/victor.${world.sourceId}.log`,
      ]) {
        const output = (await onHost(`cat ${file}`)).join('\n');
        expect(output, file).toMatch(/Permission denied/);
      }
      await expect(
        superMallory.query(`SELECT pg_read_binary_file('${victorDir}/PG_VERSION')`),
      ).rejects.toThrow(/Permission denied/);
    });

    it("reaches no other clone's socket, and no superuser through its own", async () => {
      const output = await onHost(
        `${PSQL} -h ${runDir}/sockets/${victor.port} -p ${victor.port} -U postgres -d postgres -c 'SELECT 1'`,
      );
      expect(output.join('\n')).toMatch(/Permission denied|No such file/);
      const own = await onHost(
        `${PSQL} -h ${runDir}/sockets/${superMallory.port} -p ${superMallory.port} -U postgres -d postgres -c 'SELECT 1'`,
      );
      expect(own.join('\n')).toMatch(/Peer authentication failed|could not look up local user/);
    });

    it('hands root nothing through links planted in the data directory', async () => {
      const shadow = await lstat('/etc/shadow');
      const before = await readFile('/etc/shadow');
      await onHost(
        'for f in pg_hba.conf pg_ident.conf postgresql.conf; do rm -f $f; ln -s /etc/shadow $f; done',
      );
      // A stop and a start: everything the agent does to the data directory.
      expect((await world.call('POST', '/v1/containers/root/stop')).status).toBe(200);
      const started = await world.call<ContainerStatus>('POST', '/v1/containers/root/start');
      expect(started.status).toBe(200);
      const after = await lstat('/etc/shadow');
      expect({ uid: after.uid, gid: after.gid, mode: after.mode }).toEqual({
        uid: shadow.uid,
        gid: shadow.gid,
        mode: shadow.mode,
      });
      expect((await readFile('/etc/shadow')).equals(before)).toBe(true);
    });
  });

  describe('server settings through the API', () => {
    it('changes a parameter per branch and refuses guarded ones', async () => {
      const changed = await world.call<ServerSettingsResult>(
        'PATCH',
        '/v1/containers/mallory/settings',
        { settings: { work_mem: '48MB', random_page_cost: '1.5' } },
      );
      expect(changed.status, JSON.stringify(changed.body)).toBe(200);
      expect(changed.body.settings).toMatchObject({ work_mem: '48MB', random_page_cost: '1.5' });
      expect(changed.body.restarted).toBe(false);
      const [row] = await mallory.query<{ work_mem: string }>(
        "SELECT current_setting('work_mem') AS work_mem",
      );
      expect(row?.work_mem).toBe('48MB');

      const restart = await world.call<ServerSettingsResult>(
        'PATCH',
        '/v1/containers/mallory/settings',
        { settings: { shared_buffers: '48MB' } },
      );
      expect(restart.status, JSON.stringify(restart.body)).toBe(200);
      expect(restart.body.restarted).toBe(true);
      expect(restart.body.pendingRestart).toEqual([]);
      const [buffers] = await mallory.query<{ v: string }>(
        "SELECT current_setting('shared_buffers') AS v",
      );
      expect(buffers?.v).toBe('48MB');

      for (const settings of [
        { archive_command: 'curl evil' },
        { ssl_key_file: '/etc/shadow' },
        { no_such_parameter: '1' },
        { work_mem: 'lots' },
      ]) {
        const refused = await world.call('PATCH', '/v1/containers/mallory/settings', { settings });
        expect(refused.status, JSON.stringify(settings)).toBe(400);
      }
      // All or nothing: a refused value leaves the parameters before it as they were.
      const partly = await world.call('PATCH', '/v1/containers/mallory/settings', {
        settings: { work_mem: '16MB', random_page_cost: 'not a number' },
      });
      expect(partly.status).toBe(400);
      const kept = await world.call<ServerSettingsResult>('GET', '/v1/containers/mallory/settings');
      expect(kept.body.settings).toMatchObject({ work_mem: '48MB', random_page_cost: '1.5' });
    });

    it('rotates the password: the old one stops working at once', async () => {
      const rotated = await world.call('PUT', '/v1/containers/victor/password', {
        password: 'victor-new-pass-3',
      });
      expect(rotated.status).toBe(200);
      await expect(victor.query('SELECT 1')).rejects.toThrow(/password authentication failed/);
      await withClient(cloneConnection(victor.port, world.source.name, 'victor-new-pass-3'), (db) =>
        db.query('SELECT 1'),
      );
    });
  });
});

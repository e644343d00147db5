import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { configureOwner, OWNER_MARKER, sanitizeRoles } from './clone-roles.js';
import { scramSha256Verifier } from './scram.js';
import { clusterUnavailable, ThrowawayCluster } from './throwaway-cluster.testing.js';

const unavailable = clusterUnavailable();
if (unavailable) console.warn(`clone-roles.spec: skipped, ${unavailable}`);

// The bootstrap superuser gets in by trust (the test's stand-in for the agent's peer mapping);
// everyone else needs a SCRAM password, so a login test shows which verifier a role holds.
const HBA = 'local all prod_admin trust\nlocal all all scram-sha-256\n';

// A production-like cluster: superuser and CREATEROLE logins with passwords, memberships that
// reach the server's programs and the bootstrap superuser, and objects of several owners and kinds.
const SOURCE_CLUSTER = `
  ALTER ROLE prod_admin PASSWORD 'boot-secret';
  CREATE ROLE app LOGIN SUPERUSER PASSWORD 'secret';
  CREATE ROLE reporting LOGIN CREATEROLE PASSWORD 'x';
  CREATE ROLE analyst NOLOGIN;
  CREATE ROLE readers NOLOGIN;
  GRANT pg_execute_server_program TO reporting;
  GRANT pg_read_server_files TO readers;
  GRANT readers TO reporting;
  GRANT prod_admin TO reporting;
  CREATE ROLE branchpoint LOGIN SUPERUSER PASSWORD 'from-an-old-version';
  GRANT branchpoint TO reporting;
  CREATE DATABASE shop OWNER app;
  CREATE DATABASE closed;
  ALTER DATABASE closed ALLOW_CONNECTIONS false;
  -- What an interrupted DROP DATABASE leaves: a database no session may enter.
  CREATE DATABASE half_dropped;
  UPDATE pg_database SET datconnlimit = -2 WHERE datname = 'half_dropped';
  CREATE TABLE public.ops (id int);
`;
const SHOP = `
  CREATE EXTENSION citext;
  SET ROLE app;
  CREATE TABLE orders (id serial PRIMARY KEY, total numeric);
  CREATE SCHEMA app_private;
  CREATE TABLE app_private.secrets (id int);
  RESET ROLE;
  CREATE TABLE analyst_notes (id int);
  ALTER TABLE analyst_notes OWNER TO analyst;
  CREATE TABLE audit (id bigint GENERATED ALWAYS AS IDENTITY, note text);
  CREATE INDEX audit_note ON audit (note);
  CREATE SEQUENCE invoice_no;
  CREATE FUNCTION next_invoice() RETURNS bigint LANGUAGE sql AS 'SELECT nextval(''invoice_no'')';
  CREATE PROCEDURE touch() LANGUAGE sql AS 'SELECT 1';
  CREATE AGGREGATE my_sum(int) (sfunc = int4pl, stype = int);
  CREATE VIEW recent_audit AS SELECT * FROM audit;
  CREATE MATERIALIZED VIEW audit_count AS SELECT count(*) FROM audit;
  CREATE TYPE mood AS ENUM ('ok', 'bad');
  CREATE DOMAIN positive AS int CHECK (VALUE > 0);
  CREATE TYPE pair AS (a int, b int);
  CREATE TYPE span AS RANGE (subtype = int4);
  CREATE TABLE measurements (id int, at date) PARTITION BY RANGE (at);
  CREATE TABLE measurements_2024 PARTITION OF measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
  CREATE SCHEMA reports;
  CREATE TABLE reports.daily (id int);
`;

// Objects in users' schemas still owned by the bootstrap superuser, extensions' members aside.
const BOOTSTRAP_OWNED = `
  SELECT c.oid::regclass::text AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relowner = 10 AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_'
     AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
  UNION ALL
  SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
   WHERE p.proowner = 10 AND n.nspname NOT IN ('pg_catalog', 'information_schema')
     AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
  UNION ALL
  SELECT nspname FROM pg_namespace WHERE nspowner = 10 AND nspname IN ('public', 'reports', 'app_private')`;

/** Runs statements one by one (CREATE DATABASE refuses to share a transaction). */
async function runEach(client: pg.Client, statements: string): Promise<void> {
  for (const statement of statements.split(/;\s*\n/).map((text) => text.trim()))
    if (statement) await client.query(statement);
}

interface RoleRow {
  rolname: string;
  rolcanlogin: boolean;
  rolsuper: boolean;
  rolcreaterole: boolean;
  rolpassword: string | null;
}

describe.skipIf(unavailable !== null)('clone roles (a real throwaway cluster)', () => {
  let cluster: ThrowawayCluster;
  let admin: pg.Client;
  const connect = (database = 'postgres') => cluster.connect(database);
  const verifier = scramSha256Verifier('container-password');

  const roles = async (): Promise<Record<string, RoleRow>> => {
    const { rows } = await admin.query<RoleRow>(
      'SELECT rolname, rolcanlogin, rolsuper, rolcreaterole, rolpassword FROM pg_authid',
    );
    return Object.fromEntries(rows.map((row) => [row.rolname, row]));
  };
  const member = async (role: string, of: string): Promise<boolean> =>
    (await admin.query<{ m: boolean }>("SELECT pg_has_role($1, $2, 'MEMBER') AS m", [role, of]))
      .rows[0]!.m;
  /** Whether `user` can log in with `password` (SCRAM over the socket). */
  const canLogIn = async (user: string, password: string): Promise<boolean> => {
    const client = cluster.client('postgres', user, password);
    try {
      await client.connect();
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  };

  beforeAll(async () => {
    cluster = await ThrowawayCluster.create('prod_admin', HBA);
    await cluster.start();
    admin = await connect();
    await runEach(admin, SOURCE_CLUSTER);
    const shop = await connect('shop');
    await runEach(shop, SHOP);
    await shop.end();
  }, 60_000);

  afterAll(async () => {
    await admin?.end();
    await cluster?.destroy();
  });

  it('on a version that was never sanitized, configureOwner demotes the owner and grants only safe memberships, in one round trip', async () => {
    const query = vi.spyOn(admin, 'query');
    await configureOwner(admin, { verifier, superuser: false, keepRoles: [] });
    expect(query).toHaveBeenCalledTimes(1);
    query.mockRestore();

    const owner = (await roles())['branchpoint']!;
    expect(owner).toMatchObject({ rolcanlogin: true, rolsuper: false, rolpassword: verifier });
    expect(await member('branchpoint', 'analyst')).toBe(true);
    expect(await member('branchpoint', 'pg_monitor')).toBe(true);
    // app is a superuser, reporting may create roles (and is inside the owner), readers reach
    // the server's files: none of them would be safe to step into.
    for (const unsafe of ['app', 'reporting', 'readers', 'prod_admin', 'pg_read_server_files'])
      expect(await member('branchpoint', unsafe), unsafe).toBe(false);
    expect(await canLogIn('branchpoint', 'container-password')).toBe(true);
  });

  it('sanitizeRoles strips logins, attributes and passwords and hands users’ objects to the owner', async () => {
    const { rows: before } = await admin.query<{ rolpassword: string }>(
      "SELECT rolpassword FROM pg_authid WHERE rolname = 'app'",
    );
    expect(before[0]!.rolpassword).toMatch(/^SCRAM-SHA-256\$/);

    const result = await sanitizeRoles(admin, connect);
    expect(result).toEqual({
      bootstrap: 'prod_admin',
      databases: ['postgres', 'shop', 'template1'],
    });
    // Idempotent: a retried ingest step runs it again.
    await sanitizeRoles(admin, connect);

    const all = await roles();
    for (const name of ['app', 'reporting', 'analyst', 'readers', 'branchpoint'])
      expect(all[name], name).toMatchObject({
        rolcanlogin: false,
        rolsuper: false,
        rolcreaterole: false,
        rolpassword: null,
      });
    expect(all['prod_admin']).toMatchObject({
      rolcanlogin: true,
      rolsuper: true,
      rolpassword: null,
    });
    for (const [name, password] of [
      ['app', 'secret'],
      ['reporting', 'x'],
    ] as const)
      expect(await canLogIn(name, password), name).toBe(false);

    const { rows: marker } = await admin.query<{ comment: string }>(
      "SELECT shobj_description(oid, 'pg_authid') AS comment FROM pg_roles WHERE rolname = 'branchpoint'",
    );
    expect(marker[0]!.comment).toBe(OWNER_MARKER);

    for (const role of [
      'app',
      'reporting',
      'analyst',
      'readers',
      'pg_monitor',
      'pg_signal_backend',
    ])
      expect(await member('branchpoint', role), role).toBe(true);
    for (const who of ['branchpoint', 'reporting', 'readers'])
      for (const dangerous of [
        'pg_execute_server_program',
        'pg_read_server_files',
        'pg_write_server_files',
        'prod_admin',
      ])
        expect(await member(who, dangerous), `${who} in ${dangerous}`).toBe(false);

    const { rows: owners } = await admin.query<{ datname: string; owner: string }>(
      'SELECT datname, datdba::regrole::text AS owner FROM pg_database ORDER BY datname',
    );
    expect(owners).toEqual([
      { datname: 'closed', owner: 'branchpoint' },
      { datname: 'half_dropped', owner: 'branchpoint' },
      { datname: 'postgres', owner: 'branchpoint' },
      { datname: 'shop', owner: 'branchpoint' },
      { datname: 'template0', owner: 'prod_admin' },
      { datname: 'template1', owner: 'branchpoint' },
    ]);
    for (const database of ['postgres', 'shop']) {
      const session = await connect(database);
      try {
        expect((await session.query(BOOTSTRAP_OWNED)).rows, database).toEqual([]);
      } finally {
        await session.end();
      }
    }
    const shop = await connect('shop');
    try {
      // The extension's functions stay with the bootstrap superuser.
      const { rows } = await shop.query<{ owner: string }>(
        "SELECT proowner::regrole::text AS owner FROM pg_proc WHERE proname = 'citext_eq'",
      );
      expect(rows[0]!.owner).toBe('prod_admin');
    } finally {
      await shop.end();
    }
  });

  it('lets the owner change every table, view, sequence, routine and type, and gives it no superuser through any role', async () => {
    const shop = await connect('shop');
    try {
      // As the owner's own session (SET ROLE checks the session user's memberships).
      await shop.query('SET SESSION AUTHORIZATION branchpoint');
      const { rows: tables } = await shop.query<{ name: string }>(
        `SELECT c.oid::regclass::text AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relkind IN ('r', 'p') AND n.nspname IN ('public', 'reports', 'app_private')`,
      );
      expect(tables.map((table) => table.name).sort()).toEqual([
        'analyst_notes',
        'app_private.secrets',
        'audit',
        'measurements',
        'measurements_2024',
        'orders',
        'reports.daily',
      ]);
      // Every table has an id column; ALTER TABLE and CREATE INDEX both need owner rights.
      for (const { name } of tables) {
        await shop.query(`ALTER TABLE ${name} ALTER COLUMN id SET STATISTICS 200`);
        await shop.query(`CREATE INDEX ON ${name} (id)`);
        if (name !== 'measurements_2024')
          await shop.query(`ALTER TABLE ${name} ADD COLUMN bp_check int`);
      }
      for (const statement of [
        'ALTER VIEW recent_audit RENAME TO audit_recent',
        'REFRESH MATERIALIZED VIEW audit_count',
        'ALTER SEQUENCE invoice_no RESTART WITH 100',
        "SELECT nextval('orders_id_seq')",
        'INSERT INTO audit (note) VALUES (1)',
        'ALTER FUNCTION next_invoice() STABLE',
        'ALTER PROCEDURE touch() RENAME TO touch_all',
        'ALTER AGGREGATE my_sum(int) RENAME TO my_total',
        "ALTER TYPE mood ADD VALUE 'meh'",
        'ALTER DOMAIN positive SET DEFAULT 1',
        'ALTER TYPE pair ADD ATTRIBUTE c int',
        'ALTER TYPE span RENAME TO int_span',
        'CREATE TABLE public.mine (id int)',
        'CREATE TABLE reports.mine (id int)',
      ])
        await shop.query(statement);

      await shop.query('SET ROLE app');
      const { rows } = await shop.query<{ rolsuper: boolean }>(
        'SELECT rolsuper FROM pg_roles WHERE rolname = current_user',
      );
      expect(rows[0]!.rolsuper).toBe(false);
      await expect(shop.query("COPY (SELECT 1) TO PROGRAM 'true'")).rejects.toThrow(
        /permission denied|must be superuser/,
      );
      await expect(shop.query("SELECT pg_read_file('/etc/passwd')")).rejects.toThrow(
        /permission denied/,
      );
      await expect(shop.query('SET ROLE prod_admin')).rejects.toThrow(/permission denied/);
    } finally {
      await shop.end();
    }
    const postgres = await connect('postgres');
    try {
      await postgres.query('SET SESSION AUTHORIZATION branchpoint');
      await postgres.query('CREATE INDEX ON public.ops (id)');
      await postgres.query('ALTER TABLE public.ops ADD COLUMN note text');
    } finally {
      await postgres.end();
    }
  });

  it('configureOwner makes the owner log in with the container password, a superuser only when asked, and kept roles with it too', async () => {
    const query = vi.spyOn(admin, 'query');
    await configureOwner(admin, {
      verifier,
      superuser: false,
      keepRoles: ['reporting', 'ghost', 'prod_admin', 'pg_monitor'],
    });
    expect(query).toHaveBeenCalledTimes(1);
    query.mockRestore();

    let all = await roles();
    expect(all['branchpoint']).toMatchObject({
      rolcanlogin: true,
      rolsuper: false,
      rolpassword: verifier,
    });
    expect(all['reporting']).toMatchObject({
      rolcanlogin: true,
      rolsuper: false,
      rolpassword: verifier,
    });
    expect(all['prod_admin']!.rolpassword).toBeNull();
    expect(all['app']).toMatchObject({ rolcanlogin: false, rolpassword: null });
    expect(all['ghost']).toBeUndefined();
    expect(await canLogIn('branchpoint', 'container-password')).toBe(true);
    expect(await canLogIn('reporting', 'container-password')).toBe(true);
    expect(await canLogIn('app', 'secret')).toBe(false);

    await configureOwner(admin, { verifier, superuser: true, keepRoles: [] });
    all = await roles();
    expect(all['branchpoint']).toMatchObject({ rolcanlogin: true, rolsuper: true });
    await configureOwner(admin, { verifier, superuser: false, keepRoles: [] });
    expect((await roles())['branchpoint']!.rolsuper).toBe(false);
  });

  it('configureOwner alters nothing when the roles are as asked, and undoes what the owner changed', async () => {
    const options = { verifier, superuser: false, keepRoles: ['reporting'] };
    await configureOwner(admin, options);
    // A row an ALTER ROLE rewrites gets a new xmin.
    const versions = async () =>
      (
        await admin.query<{ rolname: string; xmin: string }>(
          "SELECT rolname, xmin::text FROM pg_authid WHERE rolname IN ('branchpoint', 'reporting') ORDER BY 1",
        )
      ).rows;
    const before = await versions();
    await configureOwner(admin, options);
    expect(await versions()).toEqual(before);

    await admin.query("ALTER ROLE branchpoint PASSWORD 'chosen-by-the-owner'");
    await configureOwner(admin, options);
    expect((await roles())['branchpoint']!.rolpassword).toBe(verifier);
    expect(await canLogIn('branchpoint', 'container-password')).toBe(true);
    const after = await versions();
    expect(after.find((row) => row.rolname === 'reporting')).toEqual(
      before.find((row) => row.rolname === 'reporting'),
    );
  });

  it('configureOwner refuses a password that is not a SCRAM verifier', async () => {
    await expect(
      configureOwner(admin, { verifier: "x'; DROP ROLE app; --", superuser: false, keepRoles: [] }),
    ).rejects.toThrow(/SCRAM/);
  });
});

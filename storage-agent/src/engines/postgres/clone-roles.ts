import type pg from 'pg';
import { AgentFailure } from '../../common/agent-failure.js';
import { connectableDatabases, inEachDatabase, type ConnectDatabase } from './cluster-databases.js';
import { LOGIN_ROLE } from './instances.js';
import { isScramVerifier } from './scram.js';

/**
 * Written as the comment of the owner role by sanitizeRoles once it has run, so a clone's start
 * can tell with no extra query whether its template version was sanitized (older ones were not).
 */
export const OWNER_MARKER = 'branchpoint owner v1';

/** Predefined roles whose members run programs or read and write files as the server's OS user. */
const SERVER_ACCESS_ROLES = [
  'pg_execute_server_program',
  'pg_read_server_files',
  'pg_write_server_files',
];

/** Predefined roles the owner gets so it can watch and cancel its clone's sessions. */
const OWNER_PREDEFINED_ROLES = ['pg_monitor', 'pg_read_all_stats', 'pg_signal_backend'];

const sqlList = (values: string[]) => values.map((value) => `'${value}'`).join(', ');

// Schemas the cluster itself owns; every other schema was made by users (or extensions).
const USER_SCHEMA = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp)'`;
const notFromExtension = (catalog: string, alias: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${catalog}'::regclass AND d.objid = ${alias}.oid AND d.deptype = 'e')`;

/**
 * PL/pgSQL that makes the role named by `owner_name` a member of every role users made, so it
 * holds their owner rights (DDL on their tables), plus the predefined roles it should have. Skips
 * grants that exist and those that would close a membership cycle. A role that is a superuser,
 * may create roles (it could grant pg_execute_server_program) or reaches a server-access role
 * or the bootstrap superuser is skipped too, unless it is `trusted_role` (the sanitizing session's
 * own role, demoted in the same transaction). Needs the variables owner_name, trusted_role, r.
 */
const GRANT_OWNER_MEMBERSHIPS = `
  FOR r IN
    WITH RECURSIVE inside(oid) AS (
      SELECT m.member FROM pg_auth_members m JOIN pg_roles o ON o.oid = m.roleid WHERE o.rolname = owner_name
      UNION SELECT m.member FROM pg_auth_members m JOIN inside i ON m.roleid = i.oid)
    SELECT a.rolname FROM pg_roles a
    WHERE a.rolname <> owner_name
      AND (a.rolname IN (${sqlList(OWNER_PREDEFINED_ROLES)})
        OR (a.oid <> 10 AND a.rolname !~ '^pg_' AND a.oid NOT IN (SELECT oid FROM inside)
          AND (a.rolname = trusted_role
            OR (NOT a.rolsuper AND NOT a.rolcreaterole AND NOT pg_has_role(a.oid, 10, 'MEMBER')
              AND NOT EXISTS (SELECT 1 FROM unnest(ARRAY[${sqlList(SERVER_ACCESS_ROLES)}]) AS s(name)
                              WHERE pg_has_role(a.oid, s.name, 'MEMBER'))))))
      AND NOT EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles o ON o.oid = m.member
                      WHERE m.roleid = a.oid AND o.rolname = owner_name)
    ORDER BY a.rolname
  LOOP
    EXECUTE format('GRANT %I TO %I', r.rolname, owner_name);
  END LOOP;`;

// In each database: what the bootstrap superuser owns in users' schemas passes to the owner role.
// Sequences that belong to a table column follow their table; indexes, TOAST tables, row types
// and multirange types follow their table or range; objects of extensions stay as they are.
const TAKE_OVER_BOOTSTRAP_OBJECTS = (owner: string) => `
DO $bp$
DECLARE
  owner_name constant text := ${owner};
  r record;
BEGIN
  FOR r IN SELECT n.oid::regnamespace::text AS name FROM pg_namespace n
           WHERE n.nspowner = 10 AND ${USER_SCHEMA} AND ${notFromExtension('pg_namespace', 'n')}
  LOOP
    EXECUTE format('ALTER SCHEMA %s OWNER TO %I', r.name, owner_name);
  END LOOP;
  FOR r IN SELECT c.oid::regclass::text AS name,
                  CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                    WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END AS kind
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE c.relowner = 10 AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND ${USER_SCHEMA}
             AND ${notFromExtension('pg_class', 'c')}
             AND NOT (c.relkind = 'S' AND EXISTS (
               SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                 AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')))
  LOOP
    EXECUTE format('ALTER %s %s OWNER TO %I', r.kind, r.name, owner_name);
  END LOOP;
  FOR r IN SELECT p.oid::regprocedure::text AS name
           FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE p.proowner = 10 AND ${USER_SCHEMA} AND ${notFromExtension('pg_proc', 'p')}
  LOOP
    EXECUTE format('ALTER ROUTINE %s OWNER TO %I', r.name, owner_name);
  END LOOP;
  FOR r IN SELECT t.oid::regtype::text AS name, CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END AS kind
           FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
           WHERE t.typowner = 10 AND ${USER_SCHEMA} AND ${notFromExtension('pg_type', 't')}
             AND (t.typtype IN ('e', 'd', 'r')
               OR (t.typtype = 'c' AND EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = t.typrelid AND c.relkind = 'c')))
  LOOP
    EXECUTE format('ALTER %s %s OWNER TO %I', r.kind, r.name, owner_name);
  END LOOP;
END $bp$`;

// Cluster-wide, in one transaction: databases pass to the owner; memberships that lead to the
// server's OS user, to the bootstrap superuser or into the owner are revoked; every other role
// loses login, attributes and password; the owner joins them; the marker is written. The session's
// own role (when it is not the bootstrap superuser) is demoted last, as it needs its rights until then.
const SANITIZE_CLUSTER = (owner: string, marker: string) => `
DO $bp$
DECLARE
  owner_name constant text := ${owner};
  trusted_role constant text := current_user;
  bootstrap constant text := (SELECT rolname FROM pg_roles WHERE oid = 10);
  pg16 constant boolean := current_setting('server_version_num')::int >= 160000;
  r record;
BEGIN
  FOR r IN SELECT datname FROM pg_database d JOIN pg_roles o ON o.oid = d.datdba
           WHERE datname <> 'template0' AND o.rolname <> owner_name
  LOOP
    EXECUTE format('ALTER DATABASE %I OWNER TO %I', r.datname, owner_name);
  END LOOP;
  FOR r IN SELECT m.roleid::regrole::text AS role, m.member::regrole::text AS member,
                  m.grantor::regrole::text AS grantor
           FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
           WHERE g.oid = 10 OR g.rolname = owner_name OR g.rolname IN (${sqlList(SERVER_ACCESS_ROLES)})
  LOOP
    -- From PostgreSQL 16 on, a membership is one grant per grantor, each revoked by its grantor.
    IF pg16 THEN
      EXECUTE format('REVOKE %s FROM %s GRANTED BY %s CASCADE', r.role, r.member, r.grantor);
    ELSE
      EXECUTE format('REVOKE %s FROM %s', r.role, r.member);
    END IF;
  END LOOP;
  FOR r IN SELECT rolname FROM pg_roles
           WHERE oid <> 10 AND rolname !~ '^pg_' AND rolname <> trusted_role
  LOOP
    EXECUTE format('ALTER ROLE %I WITH NOLOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB NOREPLICATION NOBYPASSRLS PASSWORD NULL', r.rolname);
  END LOOP;
  EXECUTE format('ALTER ROLE %I WITH INHERIT', owner_name);
  EXECUTE format('ALTER ROLE %I WITH PASSWORD NULL', bootstrap);
  ${GRANT_OWNER_MEMBERSHIPS}
  EXECUTE format('COMMENT ON ROLE %I IS %L', owner_name, ${marker});
  IF trusted_role <> bootstrap THEN
    EXECUTE format('ALTER ROLE %I WITH NOLOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB NOREPLICATION NOBYPASSRLS PASSWORD NULL', trusted_role);
  END IF;
END $bp$`;

export interface SanitizeResult {
  /** The bootstrap superuser (oid 10): after sanitizing, the only role that is a superuser. */
  bootstrap: string;
  /** The databases whose objects were taken over (those that accept connections). */
  databases: string[];
}

/**
 * Strips a freshly ingested cluster of production's logins: every role but the bootstrap superuser
 * loses LOGIN, its attributes and its password (the bootstrap superuser keeps LOGIN, no password),
 * memberships that reach the server's files and programs go, and the owner role (NOLOGIN here)
 * gets every database, what the bootstrap superuser owns in users' schemas, and membership in
 * every other role. Idempotent. `client` is a superuser session; `connect` opens one per database.
 * When `client` is not the bootstrap superuser, its role is demoted too: the session cannot be
 * used afterwards, and later sessions must log in as `bootstrap`.
 */
export async function sanitizeRoles(
  client: pg.Client,
  connect: ConnectDatabase,
): Promise<SanitizeResult> {
  const { rows } = await client.query<{ rolsuper: boolean; bootstrap: string }>(
    `SELECT rolsuper, (SELECT rolname FROM pg_roles WHERE oid = 10) AS bootstrap
       FROM pg_roles WHERE rolname = current_user`,
  );
  const session = rows[0];
  if (!session?.rolsuper)
    throw new AgentFailure(500, 'internal', 'sanitizing roles needs a superuser session');
  const owner = client.escapeLiteral(LOGIN_ROLE);
  await client.query(`
    DO $bp$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${owner}) THEN
        EXECUTE format('CREATE ROLE %I WITH NOLOGIN NOSUPERUSER INHERIT', ${owner});
      END IF;
    END $bp$`);
  const databases = await connectableDatabases(client);
  await inEachDatabase(connect, databases, async (session) => {
    await session.query(TAKE_OVER_BOOTSTRAP_OBJECTS(owner));
  });
  await client.query(SANITIZE_CLUSTER(owner, client.escapeLiteral(OWNER_MARKER)));
  return { bootstrap: session.bootstrap, databases };
}

export interface OwnerOptions {
  /** The container password's SCRAM-SHA-256 verifier. */
  verifier: string;
  /** Whether the owner role is a superuser (an admin's per-template choice). */
  superuser: boolean;
  /** Roles of the source that may log in too, with the same password (never as superusers). */
  keepRoles: string[];
}

// One statement list, one round trip (the simple query protocol runs it as one transaction): the
// options travel as a JSON setting local to that transaction, so no value is ever part of the
// PL/pgSQL text. Versions sanitizeRoles never ran on get the owner's memberships at each start.
const CONFIGURE_OWNER = (owner: string, marker: string, options: string) => `
SELECT set_config('branchpoint.owner_options', ${options}, true);
DO $bp$
DECLARE
  owner_name constant text := ${owner};
  trusted_role constant text := NULL;
  spec constant jsonb := current_setting('branchpoint.owner_options')::jsonb;
  verifier constant text := spec->>'verifier';
  r record;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = owner_name) THEN
    EXECUTE format('CREATE ROLE %I', owner_name);
  END IF;
  -- Only what differs is altered: a start with nothing to change writes nothing (no commit to
  -- wait for), and the owner's own ALTER ROLE ... PASSWORD is undone at the next start.
  IF NOT EXISTS (SELECT 1 FROM pg_authid WHERE rolname = owner_name
                   AND rolcanlogin AND rolinherit AND rolcreatedb AND NOT rolcreaterole
                   AND NOT rolreplication AND rolsuper = (spec->>'superuser')::boolean
                   AND rolpassword IS NOT DISTINCT FROM verifier) THEN
    EXECUTE format('ALTER ROLE %I WITH LOGIN INHERIT %s CREATEDB NOCREATEROLE NOREPLICATION PASSWORD %L',
      owner_name, CASE WHEN (spec->>'superuser')::boolean THEN 'SUPERUSER' ELSE 'NOSUPERUSER' END, verifier);
  END IF;
  FOR r IN SELECT rolname FROM pg_authid
           WHERE rolname IN (SELECT jsonb_array_elements_text(spec->'keepRoles'))
             AND oid <> 10 AND rolname <> owner_name AND rolname !~ '^pg_'
             AND NOT (rolcanlogin AND NOT rolsuper AND NOT rolcreaterole AND NOT rolreplication
                      AND rolpassword IS NOT DISTINCT FROM verifier)
  LOOP
    EXECUTE format('ALTER ROLE %I WITH LOGIN NOSUPERUSER NOCREATEROLE NOREPLICATION PASSWORD %L', r.rolname, verifier);
  END LOOP;
  IF shobj_description((SELECT oid FROM pg_roles WHERE rolname = owner_name), 'pg_authid')
     IS DISTINCT FROM ${marker} THEN
    ${GRANT_OWNER_MEMBERSHIPS}
  END IF;
END $bp$`;

/**
 * Makes the owner role `branchpoint` a login role with the container's password (a superuser only
 * when asked) and lets the kept roles log in with the same password; in one round trip, as it runs
 * at every clone server start. On versions sanitizeRoles never ran on it also grants the owner the
 * memberships it would have. `client` is a superuser session.
 */
export async function configureOwner(client: pg.Client, options: OwnerOptions): Promise<void> {
  if (!isScramVerifier(options.verifier))
    throw new AgentFailure(500, 'instance-failed', 'the owner password is not a SCRAM verifier');
  const spec = JSON.stringify({
    verifier: options.verifier,
    superuser: options.superuser,
    keepRoles: options.keepRoles,
  });
  await client.query(
    CONFIGURE_OWNER(
      client.escapeLiteral(LOGIN_ROLE),
      client.escapeLiteral(OWNER_MARKER),
      client.escapeLiteral(spec),
    ),
  );
}

/**
 * After admin hooks ran in a clone's database as superusers: what they made (as the bootstrap
 * superuser or the shell hooks' role) passes to the owner role, which must be able to use it.
 * `session` is a superuser session in that database.
 */
export async function takeOverHookObjects(session: pg.Client, hookRole: string): Promise<void> {
  const owner = session.escapeLiteral(LOGIN_ROLE);
  await session.query(TAKE_OVER_BOOTSTRAP_OBJECTS(owner));
  const hook = await session.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [hookRole]);
  if (hook.rowCount)
    await session.query(
      `REASSIGN OWNED BY ${session.escapeIdentifier(hookRole)} TO ${session.escapeIdentifier(LOGIN_ROLE)}`,
    );
}

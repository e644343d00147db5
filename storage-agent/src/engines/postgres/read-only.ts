import path from 'node:path';
import { readFileSafely, writeFileSafely } from '../../common/safe-files.js';
import { AgentFailure } from '../../common/agent-failure.js';
import type { ReadOnlyServer, ReadOnlyServing } from '../engine.js';
import { superusersOf, type PostgresInstances, type ServerSpec } from './instances.js';
import { isScramVerifier } from './scram.js';

/** The role readers of a read-only server log in as. */
export const READER_ROLE = 'branchpoint_reader';

// Hot standby needs WAL written at wal_level replica, so the preparing run writes it too.
const PREPARE_SETTINGS = { wal_level: 'replica' };
// In recovery no session can write: `SET transaction_read_only = off` fails there.
const SERVE_SETTINGS = {
  wal_level: 'replica',
  hot_standby: 'on',
  default_transaction_read_only: 'on',
};

/**
 * The reader: it logs in with the given verifier, reads every table (pg_read_all_data, past
 * row security), holds no other membership and no attribute, and starts read-only.
 */
const READER_SQL = (role: string, verifier: string) => `
DO $bp$
DECLARE
  r record;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${role}) THEN
    EXECUTE format('CREATE ROLE %I', ${role});
  END IF;
  FOR r IN SELECT m.roleid::regrole::text AS granted FROM pg_auth_members m
           WHERE m.member = (SELECT oid FROM pg_roles WHERE rolname = ${role})
  LOOP
    EXECUTE format('REVOKE %s FROM %I CASCADE', r.granted, ${role});
  END LOOP;
  EXECUTE format('ALTER ROLE %I WITH LOGIN INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION BYPASSRLS CONNECTION LIMIT 5 PASSWORD %L', ${role}, ${verifier});
  EXECUTE format('GRANT pg_read_all_data TO %I', ${role});
  EXECUTE format('ALTER ROLE %I SET default_transaction_read_only = on', ${role});
  EXECUTE format('ALTER ROLE %I SET statement_timeout = %L', ${role}, '120s');
END $bp$`;

/**
 * A point's clone served read-only: a first run on the socket only creates the reader role, a
 * clean stop, then `standby.signal` and a hot standby that replays nothing more and admits the
 * reader alone over TLS. A standby cannot be made writable from a session, whatever it sets.
 */
export class PostgresReadOnly implements ReadOnlyServing {
  readonly readerRole = READER_ROLE;

  constructor(private readonly instances: PostgresInstances) {}

  async start(server: ReadOnlyServer): Promise<void> {
    if (!isScramVerifier(server.readerVerifier))
      throw new AgentFailure(
        500,
        'instance-failed',
        `preview ${server.name} has no reader verifier`,
      );
    const signal = path.join(server.dataDir, 'standby.signal');
    const prepared = (await readFileSafely(signal)) !== null;
    // A run an agent crash left in the middle of preparing is not the read-only one.
    if (!prepared) await this.instances.stop(server.dataDir);
    if (!prepared) {
      const preparing = specOf(server, [], PREPARE_SETTINGS);
      await this.instances.serve(preparing);
      try {
        const client = await this.instances.superuserClient(preparing);
        try {
          await client.query(
            READER_SQL(
              client.escapeLiteral(READER_ROLE),
              client.escapeLiteral(server.readerVerifier),
            ),
          );
        } finally {
          await client.end();
        }
      } finally {
        await this.instances.stop(server.dataDir);
      }
      await writeFileSafely(signal, '', { mode: 0o600, owner: server.identity });
    }
    await this.instances.serve(specOf(server, [READER_ROLE], SERVE_SETTINGS));
  }
}

function specOf(
  server: ReadOnlyServer,
  loginRoles: string[],
  settings: Record<string, string>,
): ServerSpec {
  return {
    containerId: server.name,
    sourceId: server.sourceId,
    dataDir: server.dataDir,
    port: server.port,
    identity: server.identity,
    superusers: superusersOf(server),
    loginRoles,
    settings,
  };
}

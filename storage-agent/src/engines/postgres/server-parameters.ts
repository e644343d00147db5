import type pg from 'pg';
import { GUARDED_SERVER_SETTING, SERVER_SETTING_PATTERN } from '@branchpoint/contracts';
import { badRequest } from '../../common/agent-failure.js';

/** Refuses (400) a parameter name that is malformed or guarded. */
export function assertChangeable(name: string): void {
  if (!SERVER_SETTING_PATTERN.test(name))
    throw badRequest(`setting name ${JSON.stringify(name.slice(0, 80))} is not a parameter name`);
  // The command line wins over ALTER SYSTEM silently: refusing says so (the spec checks that
  // every parameter fixed on the command line is guarded).
  if (GUARDED_SERVER_SETTING.test(name))
    throw badRequest(
      `setting ${name} cannot be changed: the storage agent fixes it for every clone`,
    );
}

/**
 * ALTER SYSTEM for each change (a null value resets it), then a reload; answers the parameters
 * that now wait for a restart. All or nothing: malformed, guarded and unknown names are refused
 * (400) before anything is written, and when the server refuses a value (400 naming it) the
 * changes of this call already written are put back.
 */
export async function applyParameters(
  client: pg.Client,
  changes: Record<string, string | null>,
): Promise<string[]> {
  const names = Object.keys(changes);
  for (const name of names) assertChangeable(name);
  const { rows } = await client.query<{ name: string }>(
    'SELECT name FROM pg_settings WHERE name = ANY($1)',
    [names],
  );
  const known = new Set(rows.map((row) => row.name));
  const unknown = names.filter((name) => !known.has(name) && !name.includes('.'));
  if (unknown.length > 0) throw badRequest(`unknown server setting: ${unknown.join(', ')}`);
  const before = await autoConfValues(client);
  const written: string[] = [];
  for (const [name, value] of Object.entries(changes)) {
    try {
      await alterSystem(client, name, value);
      written.push(name);
    } catch (error) {
      for (const name of written) await alterSystem(client, name, before[name] ?? null);
      throw badRequest(`setting ${name}: ${(error as Error).message}`);
    }
  }
  await client.query('SELECT pg_reload_conf()');
  // The reload is asynchronous: wait until the server has read the file.
  await new Promise((resolve) => setTimeout(resolve, 100));
  return pendingRestart(client);
}

const alterSystem = (client: pg.Client, name: string, value: string | null) =>
  client.query(
    value === null
      ? `ALTER SYSTEM RESET ${name}`
      : `ALTER SYSTEM SET ${name} = ${client.escapeLiteral(value)}`,
  );

/** The values postgresql.auto.conf holds now, as written (the last line of a name wins). */
async function autoConfValues(client: pg.Client): Promise<Record<string, string>> {
  const { rows } = await client.query<{ name: string; setting: string }>(
    `SELECT name, setting FROM pg_file_settings
      WHERE sourcefile LIKE '%postgresql.auto.conf' ORDER BY seqno`,
  );
  return Object.fromEntries(rows.map((row) => [row.name, row.setting]));
}

/** Parameters changed in postgresql.auto.conf, as the server runs them now. */
export async function changedParameters(client: pg.Client): Promise<Record<string, string>> {
  const { rows } = await client.query<{ name: string; value: string }>(
    `SELECT name, current_setting(name) AS value FROM pg_settings
      WHERE sourcefile LIKE '%postgresql.auto.conf' OR (pending_restart AND name IN
        (SELECT name FROM pg_file_settings WHERE sourcefile LIKE '%postgresql.auto.conf'))
      ORDER BY name`,
  );
  return Object.fromEntries(rows.map((row) => [row.name, row.value]));
}

/** Parameters whose new value needs a restart. */
export async function pendingRestart(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    'SELECT name FROM pg_settings WHERE pending_restart ORDER BY name',
  );
  return rows.map((row) => row.name);
}

import type pg from 'pg';
import { readCatalog } from '../../diffs/compute/catalog.js';
import { DiffStopped } from '../../diffs/compute/compute-diff.js';
import type { SchemaChange } from '../../diffs/compute/schema-diff.js';
import type { Checkpoint } from '../../diffs/compute/diff-reader.js';
import {
  countRows,
  postgresDiffReader,
  quotedTable,
  rowText,
  sorted,
  streamRows,
} from '../../diffs/compute/postgres-diff-reader.js';
import { diffTableRows } from '../../diffs/compute/table-diff.js';
import { planRows, type KeyedRow, type Row, type RowChange } from './plan-rows.js';
import { planSchema, type SchemaStep } from './plan-schema.js';

export interface ReplayBudget {
  /** The planner's row estimates of the three databases together may not exceed this. */
  maxRows: number;
  /** Conflicts and skipped items listed (all are counted). */
  listed: number;
}

/** What the replay did to one table's rows. */
export interface ReplayedTable {
  name: string;
  inserted: number;
  updated: number;
  deleted: number;
  conflicts: number;
  /** Row changes the new branch refused (a constraint, a type): listed in `skipped`. */
  failed: number;
}

/** A row the branch and the new version both changed: not applied. */
export interface RowConflict {
  table: string;
  key: Row;
  /** The branch's row; null: the branch deleted it. */
  branch: Row | null;
  /** The new version's row; null: the new version deleted it (or never had it). */
  template: Row | null;
}

/** Something of the change set that was not replayed, and why. */
export interface SkippedItem {
  table: string | null;
  /** `rows` for row changes; else the kind of schema object. */
  kind: string;
  name: string;
  key?: Row;
  reason: string;
}

export interface ReplayResult {
  /** Schema changes applied, in order. */
  schema: (SchemaChange & { table: string | null })[];
  tables: ReplayedTable[];
  conflicts: RowConflict[];
  conflictCount: number;
  skipped: SkippedItem[];
  skippedCount: number;
}

/** Sessions of the three databases: read-only base and head of the branch, the new version, and the new branch (written). */
export interface ReplaySides {
  base: pg.Client;
  head: pg.Client;
  next: pg.Client;
  target: pg.Client;
}

/**
 * Replays the branch's change set (base -> head) on the new branch (`target`, a copy of `next`):
 * schema changes first, then the rows of tables with a primary key by key, then constraints and
 * indexes. Every statement is built from quoted names, server-deparsed definitions and bound
 * parameters; each change runs on its own savepoint so one refusal is reported, not fatal.
 */
export async function replayChanges(
  sides: ReplaySides,
  budget: ReplayBudget,
  checkpoint: Checkpoint,
  progress: (percent: number) => Promise<void>,
): Promise<ReplayResult> {
  for (const client of [sides.base, sides.head, sides.next, sides.target])
    await client.query('SET statement_timeout = 0');
  const [base, head, next] = [
    await readCatalog(sides.base),
    await readCatalog(sides.head),
    await readCatalog(sides.next),
  ];
  const rows = [base, head, next]
    .flatMap((catalog) => [...catalog.tables.values()])
    .reduce((n, t) => n + t.estimate, 0);
  if (rows > budget.maxRows)
    throw new DiffStopped(
      `refused: the three points hold about ${Math.round(rows)} rows, more than the budget of ${budget.maxRows}`,
    );
  const result: ReplayResult = {
    schema: [],
    tables: [],
    conflicts: [],
    conflictCount: 0,
    skipped: [],
    skippedCount: 0,
  };
  const skip = (item: SkippedItem) => {
    result.skippedCount++;
    if (result.skipped.length < budget.listed) result.skipped.push(item);
  };
  const plan = planSchema(base, head, (name) => sides.target.escapeIdentifier(name));
  for (const item of plan.skipped)
    skip({
      table: item.table,
      kind: item.change.kind,
      name: item.change.name,
      reason: item.reason,
    });
  const applySchema = async (phase: SchemaStep['phase']) => {
    for (const step of plan.steps.filter((s) => s.phase === phase)) {
      await checkpoint();
      const refused = await inTransaction(sides.target, async () => {
        for (const statement of step.sql) await sides.target.query(statement);
      });
      if (refused)
        skip({
          table: step.table,
          kind: step.change.kind,
          name: step.change.name,
          reason: refused,
        });
      else result.schema.push({ ...step.change, table: step.table });
    }
  };
  await applySchema('before');
  const writable = await writableColumns(sides.target);
  // Tables with a primary key first: their rows are replayed; then those without, reported.
  const names = [...head.tables.keys()].sort((a, b) => {
    const keyed = (name: string) => (head.tables.get(name)!.key ? 0 : 1);
    return keyed(a) - keyed(b) || a.localeCompare(b);
  });
  const retry: { table: string; step: RowChange; counts: ReplayedTable; key: string[] }[] = [];
  for (const [index, name] of names.entries()) {
    await checkpoint();
    const counts: ReplayedTable = {
      name,
      inserted: 0,
      updated: 0,
      deleted: 0,
      conflicts: 0,
      failed: 0,
    };
    const shapes = {
      base: base.tables.get(name),
      head: head.tables.get(name)!,
      next: next.tables.get(name),
    };
    const key = shapes.head.key;
    const unkeyed = async (reason: string) => {
      const changes = shapes.base
        ? await diffTableRows(
            { from: postgresDiffReader(sides.base), to: postgresDiffReader(sides.head) },
            name,
            { from: shapes.base, to: shapes.head },
            { maxChangedRows: 0, checkpoint },
          )
        : { added: await countRows(sides.head, name), removed: 0, changed: 0 };
      const total = changes.added + changes.removed + changes.changed;
      if (total > 0)
        skip({
          table: name,
          kind: 'rows',
          name,
          reason: `${reason}: ${changes.added} rows added, ${changes.removed} removed, ${changes.changed} changed by the branch are not replayed`,
        });
    };
    if (!key) await unkeyed('no primary key');
    else if (shapes.base && shapes.base.key?.join() !== key.join())
      await unkeyed('the branch changed its primary key');
    else if (shapes.next && shapes.next.key?.join() !== key.join())
      await unkeyed('the new version changed its primary key');
    else if (!writable.has(name)) await unkeyed('the table is not on the new branch');
    else {
      const stream = (client: pg.Client, present: boolean): AsyncIterable<KeyedRow> | KeyedRow[] =>
        present
          ? streamRows<KeyedRow>(
              client,
              sorted(
                `SELECT ${rowText(client, key)} AS k, to_jsonb(t) AS r FROM ${quotedTable(client, name)} t`,
                's.k AS key, s.r AS row',
                'k',
              ),
              checkpoint,
            )
          : [];
      const steps = planRows(
        {
          base: stream(sides.base, Boolean(shapes.base)),
          head: stream(sides.head, true),
          next: stream(sides.next, Boolean(shapes.next)),
        },
        {
          base: [...(shapes.base?.columns.keys() ?? [])],
          head: [...shapes.head.columns.keys()],
          next: [...(shapes.next?.columns.keys() ?? [])],
        },
      );
      await sides.target.query('BEGIN');
      try {
        for await (const step of steps) {
          if (step.op === 'conflict') {
            counts.conflicts++;
            result.conflictCount++;
            if (result.conflicts.length < budget.listed)
              result.conflicts.push({
                table: name,
                key: pick(step.branch ?? step.template!, key),
                branch: step.branch,
                template: step.template,
              });
            continue;
          }
          const refused = await onSavepoint(sides.target, () =>
            applyRow(sides.target, name, key, writable.get(name)!, step),
          );
          if (refused) retry.push({ table: name, step, counts, key });
          else count(counts, step);
        }
        await sides.target.query('COMMIT');
      } catch (error) {
        await sides.target.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
      if (counts.inserted > 0) await catchUpSequences(sides.target, name, writable.get(name)!);
    }
    result.tables.push(counts);
    await progress(Math.round(((index + 1) / names.length) * 90));
  }
  // A second try for what a foreign key refused: its parent row may have come later.
  for (const { table, step, counts, key } of retry) {
    await checkpoint();
    const refused = await inTransaction(sides.target, () =>
      applyRow(sides.target, table, key, writable.get(table)!, step),
    );
    if (!refused) count(counts, step);
    else {
      counts.failed++;
      skip({
        table,
        kind: 'rows',
        name: `${step.op} ${step.key}`,
        key: pick(step.row, key),
        reason: refused,
      });
    }
  }
  await applySchema('after');
  result.tables = result.tables.filter(
    (t) => t.inserted + t.updated + t.deleted + t.conflicts + t.failed > 0,
  );
  await progress(100);
  return result;
}

function count(counts: ReplayedTable, step: RowChange): void {
  if (step.op === 'insert') counts.inserted++;
  else if (step.op === 'update') counts.updated++;
  else if (step.op === 'delete') counts.deleted++;
}

function pick(row: Row, columns: string[]): Row {
  return Object.fromEntries(columns.map((column) => [column, row[column]]));
}

/** One row change as bound parameters: the row travels as JSON, the table's own type reads it. */
async function applyRow(
  client: pg.Client,
  name: string,
  key: string[],
  columns: Set<string>,
  step: RowChange,
): Promise<void> {
  const id = (column: string) => client.escapeIdentifier(column);
  const table = quotedTable(client, name);
  const record = `jsonb_populate_record(NULL::${table}, $1::jsonb)`;
  const matches = key.map((k) => `t.${id(k)} = r.${id(k)}`).join(' AND ');
  const values = [JSON.stringify(step.row)];
  if (step.op === 'insert') {
    const listed = Object.keys(step.row)
      .filter((column) => columns.has(column))
      .map(id)
      .join(', ');
    await client.query(
      `INSERT INTO ${table} (${listed}) OVERRIDING SYSTEM VALUE SELECT ${listed} FROM ${record}`,
      values,
    );
  } else if (step.op === 'update') {
    const set = step.columns.filter((column) => columns.has(column));
    if (set.length === 0) return;
    await client.query(
      `UPDATE ${table} AS t SET ${set.map((c) => `${id(c)} = r.${id(c)}`).join(', ')} FROM ${record} AS r WHERE ${matches}`,
      values,
    );
  } else {
    await client.query(`DELETE FROM ${table} AS t USING ${record} AS r WHERE ${matches}`, values);
  }
}

/** Sequences (serial, identity) of the table move past the largest value replayed, so new rows do not collide. */
async function catchUpSequences(
  client: pg.Client,
  name: string,
  columns: Set<string>,
): Promise<void> {
  const table = quotedTable(client, name);
  for (const column of columns) {
    const { rows } = await client.query<{ s: string | null }>(
      'SELECT pg_get_serial_sequence($1, $2) AS s',
      [table, column],
    );
    const sequence = rows[0]?.s;
    if (!sequence) continue;
    await inTransaction(client, () =>
      client.query(
        `SELECT setval($1::regclass, GREATEST(coalesce(pg_sequence_last_value($1::regclass), 1),
                coalesce((SELECT max(${client.escapeIdentifier(column)}) FROM ${table}), 1)::bigint))`,
        [sequence],
      ),
    );
  }
}

/** Columns that take values (not generated), by `schema.table`, of the session's database. */
async function writableColumns(client: pg.Client): Promise<Map<string, Set<string>>> {
  const { rows } = await client.query<{ t: string; columns: string[] }>(
    `SELECT n.nspname || '.' || c.relname AS t, array_agg(a.attname::text) AS columns
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE c.relkind IN ('r', 'p') AND a.attgenerated = ''
        AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_'
      GROUP BY 1`,
  );
  return new Map(rows.map((row) => [row.t, new Set(row.columns)]));
}

/** Runs `work` in its own transaction; the server's message when it refused (rolled back), else null. */
async function inTransaction(
  client: pg.Client,
  work: () => Promise<unknown>,
): Promise<string | null> {
  await client.query('BEGIN');
  const refused = await onSavepoint(client, work);
  await client.query(refused ? 'ROLLBACK' : 'COMMIT');
  return refused;
}

/** Runs `work` on a savepoint of the open transaction; a refusal rolls back to it and is returned. */
async function onSavepoint(
  client: pg.Client,
  work: () => Promise<unknown>,
): Promise<string | null> {
  await client.query('SAVEPOINT bp_replay');
  try {
    await work();
    await client.query('RELEASE SAVEPOINT bp_replay');
    return null;
  } catch (error) {
    if (!(error instanceof Error) || !('code' in error)) throw error;
    await client.query('ROLLBACK TO SAVEPOINT bp_replay');
    return error.message;
  }
}

import type pg from 'pg';
import { readCatalog } from './catalog.js';
import { schemaDiff, type SchemaChange } from './schema-diff.js';
import { diffTableRows, type ChangedRow, type Checkpoint } from './table-diff.js';

export interface TableDifference {
  name: string;
  added: number;
  removed: number;
  changed: number;
  /** `key`: rows matched by primary key; `hash`: no key, rows compared by hash; `table`: only on one side. */
  matchedBy: 'key' | 'hash' | 'table';
  schema: SchemaChange[];
  /** At most the budget's changedRows, in key order. */
  changedRows: ChangedRow[];
}

export interface DiffResult {
  tables: TableDifference[];
  /** Views and functions. */
  schema: SchemaChange[];
  unchangedTables: number;
}

export interface DiffBudget {
  /** The planner's row estimates of both sides together may not exceed this (else refused). */
  maxRows: number;
  /** Changed rows shown per table. */
  changedRows: number;
}

/** A diff refused before it ran (too large) or stopped (cancelled, out of time): the message says which. */
export class DiffStopped extends Error {}

/**
 * Compares two databases (sessions on read-only servers of two points): their schemas, then
 * each table's rows. `checkpoint` runs between batches and throws DiffStopped to stop.
 */
export async function computeDiff(
  sides: { from: pg.Client; to: pg.Client },
  budget: DiffBudget,
  checkpoint: Checkpoint,
  progress: (percent: number) => Promise<void>,
): Promise<DiffResult> {
  for (const client of [sides.from, sides.to]) await client.query('SET statement_timeout = 0');
  const from = await readCatalog(sides.from);
  const to = await readCatalog(sides.to);
  const rows = [...from.tables.values(), ...to.tables.values()].reduce((n, t) => n + t.estimate, 0);
  if (rows > budget.maxRows)
    throw new DiffStopped(
      `refused: the two points hold about ${Math.round(rows)} rows, more than the budget of ${budget.maxRows}`,
    );
  const schema = schemaDiff(from, to);
  const names = [...new Set([...from.tables.keys(), ...to.tables.keys()])].sort();
  const tables: TableDifference[] = [];
  for (const [index, name] of names.entries()) {
    await checkpoint();
    const counts = await diffTableRows(
      sides,
      name,
      { from: from.tables.get(name), to: to.tables.get(name) },
      { maxChangedRows: budget.changedRows, checkpoint },
    );
    const changes = schema.byTable.get(name) ?? [];
    if (counts.added + counts.removed + counts.changed > 0 || changes.length > 0)
      tables.push({ name, ...counts, schema: changes });
    await progress(Math.round(((index + 1) / names.length) * 100));
  }
  return { tables, schema: schema.other, unchangedTables: names.length - tables.length };
}

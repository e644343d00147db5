import type { Checkpoint, DiffReader } from './diff-reader.js';
import { schemaDiff, type SchemaChange } from './schema-diff.js';
import { diffTableRows, type ChangedRow } from './table-diff.js';

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
  sides: { from: DiffReader; to: DiffReader },
  budget: DiffBudget,
  checkpoint: Checkpoint,
  progress: (percent: number) => Promise<void>,
): Promise<DiffResult> {
  for (const side of [sides.from, sides.to]) await side.prepare();
  const from = await sides.from.catalog();
  const to = await sides.to.catalog();
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

/**
 * One result of the compares of a template's sources: with several, each table and object name
 * is prefixed with its source's name (`site/shop.pages`).
 */
export function combineSources(parts: { source: string; result: DiffResult }[]): DiffResult {
  const named = (source: string, name: string) => (parts.length > 1 ? `${source}/${name}` : name);
  return {
    tables: parts.flatMap(({ source, result }) =>
      result.tables.map((table) => ({ ...table, name: named(source, table.name) })),
    ),
    schema: parts.flatMap(({ source, result }) =>
      result.schema.map((change) => ({ ...change, name: named(source, change.name) })),
    ),
    unchangedTables: parts.reduce((sum, { result }) => sum + result.unchangedTables, 0),
  };
}

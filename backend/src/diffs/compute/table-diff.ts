import type { TableShape } from './catalog.js';
import type { Checkpoint, DiffReader } from './diff-reader.js';
import { mergeHashed, mergeKeyed, type RowCounts } from './row-merge.js';

/** A changed row: its key, and each common column whose value differs. */
export interface ChangedRow {
  key: Record<string, unknown>;
  columns: { name: string; from: unknown; to: unknown }[];
}

export interface TableRows extends RowCounts {
  /** `key`: matched by primary key; `hash`: no common key, rows compared as a multiset. */
  matchedBy: 'key' | 'hash' | 'table';
  changedRows: ChangedRow[];
}

/**
 * The data diff of one table between two servers. Rows are streamed in key order from both
 * sides and merged, so no table is held in memory; at most `maxChangedRows`
 * changed rows are fetched again to show their columns.
 */
export async function diffTableRows(
  sides: { from: DiffReader; to: DiffReader },
  name: string,
  shapes: { from: TableShape | undefined; to: TableShape | undefined },
  options: { maxChangedRows: number; checkpoint: Checkpoint },
): Promise<TableRows> {
  const { from, to } = shapes;
  if (!from || !to) {
    const count = await (from ? sides.from : sides.to).countRows(name);
    return {
      matchedBy: 'table',
      added: from ? 0 : count,
      removed: from ? count : 0,
      changed: 0,
      changedRows: [],
    };
  }
  const common = [...from.columns.keys()].filter((column) => to.columns.has(column));
  const key =
    from.key &&
    to.key &&
    from.key.join() === to.key.join() &&
    from.key.every((k) => common.includes(k))
      ? from.key
      : null;
  if (!key) {
    const counts = await mergeHashed(
      sides.from.hashedRows(name, common, options.checkpoint),
      sides.to.hashedRows(name, common, options.checkpoint),
    );
    return { matchedBy: 'hash', ...counts, changedRows: [] };
  }
  const changedKeys: string[] = [];
  const counts = await mergeKeyed(
    sides.from.keyedRows(name, key, common, options.checkpoint),
    sides.to.keyedRows(name, key, common, options.checkpoint),
    (changed) => {
      if (changedKeys.length < options.maxChangedRows) changedKeys.push(changed);
    },
  );
  const changedRows: ChangedRow[] = [];
  for (const changed of changedKeys) {
    const before = await sides.from.rowByKey(name, key, changed);
    const after = await sides.to.rowByKey(name, key, changed);
    if (!before || !after) continue;
    changedRows.push({
      key: Object.fromEntries(key.map((column) => [column, after[column]])),
      columns: common
        .filter((column) => JSON.stringify(before[column]) !== JSON.stringify(after[column]))
        .map((column) => ({ name: column, from: before[column], to: after[column] })),
    });
  }
  return { matchedBy: 'key', ...counts, changedRows };
}

import type { Catalog } from './catalog.js';
import type { HashCount, KeyedRow } from './row-merge.js';

/** Called between batches: throws to stop (cancelled, out of time). */
export type Checkpoint = () => Promise<void>;

/**
 * One side of a compare: a read-only session on one point's server, in its engine's SQL. Both
 * sides of a compare are the same engine, so a row's key and hash texts match across them; rows
 * stream in byte order of that text (see row-merge.ts compareKeys), never all in memory.
 */
export interface DiffReader {
  /** Readies the session for long reads (no statement timeout). */
  prepare(): Promise<void>;
  catalog(): Promise<Catalog>;
  countRows(table: string): Promise<number>;
  /** Each row's key text and the hash of `columns`, in key order. */
  keyedRows(
    table: string,
    key: string[],
    columns: string[],
    checkpoint: Checkpoint,
  ): AsyncIterable<KeyedRow>;
  /** Rows grouped by the hash of `columns`, in hash order (tables without a common key). */
  hashedRows(table: string, columns: string[], checkpoint: Checkpoint): AsyncIterable<HashCount>;
  /** The row whose key text `keyedRows` gave, its values as JSON shows them; null when gone. */
  rowByKey(table: string, key: string[], keyText: string): Promise<Record<string, unknown> | null>;
}

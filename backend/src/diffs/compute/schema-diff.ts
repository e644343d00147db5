import type { Catalog } from './catalog.js';

/** One difference of schema: what it is, and how it changed from `from` to `to`. */
export interface SchemaChange {
  kind: 'table' | 'column' | 'index' | 'constraint' | 'view' | 'function';
  name: string;
  change: 'added' | 'removed' | 'changed';
  from?: string;
  to?: string;
}

export interface SchemaDiff {
  /** Changes that belong to a table (itself, its columns, indexes, constraints), by `schema.table`. */
  byTable: Map<string, SchemaChange[]>;
  /** Views and functions. */
  other: SchemaChange[];
}

/** Compares two catalogs: tables, columns (type, nullability, default), indexes, constraints, views, functions. */
export function schemaDiff(from: Catalog, to: Catalog): SchemaDiff {
  const byTable = new Map<string, SchemaChange[]>();
  const other: SchemaChange[] = [];
  const note = (table: string | null, change: SchemaChange) => {
    if (table === null) return void other.push(change);
    byTable.set(table, [...(byTable.get(table) ?? []), change]);
  };
  for (const name of union(from.tables.keys(), to.tables.keys())) {
    const a = from.tables.get(name);
    const b = to.tables.get(name);
    if (!a || !b) {
      note(name, { kind: 'table', name, change: a ? 'removed' : 'added' });
      continue;
    }
    for (const column of union(a.columns.keys(), b.columns.keys()))
      compare(a.columns.get(column), b.columns.get(column), (change) =>
        note(name, { kind: 'column', name: column, ...change }),
      );
  }
  for (const key of union(from.objects.keys(), to.objects.keys())) {
    const a = from.objects.get(key);
    const b = to.objects.get(key);
    const object = (b ?? a)!;
    compare(a?.definition, b?.definition, (change) =>
      note(object.table, { kind: object.kind, name: object.name, ...change }),
    );
  }
  return { byTable, other };
}

function compare(
  a: string | undefined,
  b: string | undefined,
  report: (change: Pick<SchemaChange, 'change' | 'from' | 'to'>) => void,
): void {
  if (a === b) return;
  if (a === undefined) report({ change: 'added', to: b! });
  else if (b === undefined) report({ change: 'removed', from: a });
  else report({ change: 'changed', from: a, to: b });
}

function union(a: Iterable<string>, b: Iterable<string>): string[] {
  return [...new Set([...a, ...b])].sort();
}

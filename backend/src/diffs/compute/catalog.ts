import type pg from 'pg';

/** What a schema diff compares of one database: everything users made, by name. */
export interface Catalog {
  tables: Map<string, TableShape>;
  /** `kind:name` -> definition, for objects that are not columns: indexes, constraints, views, functions. */
  objects: Map<string, CatalogObject>;
}

export interface TableShape {
  /** Column name -> `type [not null] [default …]`. */
  columns: Map<string, string>;
  /** Primary key columns in key order; null without one. */
  key: string[] | null;
  /** The planner's row estimate (the size budget uses it). */
  estimate: number;
}

export interface CatalogObject {
  kind: 'index' | 'constraint' | 'view' | 'function';
  /** The table it belongs to (indexes, constraints), `schema.table`. */
  table: string | null;
  name: string;
  definition: string;
}

const USER_SCHEMA = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_'`;

/** Reads the catalog of the session's database (read-only queries; works on a standby). */
export async function readCatalog(client: pg.Client): Promise<Catalog> {
  const tables = new Map<string, TableShape>();
  const columns = await client.query<{ t: string; estimate: number; col: string; shape: string }>(
    `SELECT n.nspname || '.' || c.relname AS t, c.reltuples::float8 AS estimate, a.attname AS col,
            format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
              || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '') AS shape
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
      WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND ${USER_SCHEMA}
      ORDER BY 1, a.attnum`,
  );
  for (const row of columns.rows) {
    const table = tables.get(row.t) ?? {
      columns: new Map(),
      key: null,
      estimate: Math.max(0, row.estimate),
    };
    table.columns.set(row.col, row.shape);
    tables.set(row.t, table);
  }
  const keys = await client.query<{ t: string; key: string[] }>(
    `SELECT n.nspname || '.' || c.relname AS t,
            array_agg(a.attname::text ORDER BY k.ord) AS key
       FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
      WHERE i.indisprimary AND ${USER_SCHEMA}
      GROUP BY 1`,
  );
  for (const row of keys.rows) {
    const table = tables.get(row.t);
    if (table) table.key = row.key;
  }
  const objects = new Map<string, CatalogObject>();
  const add = (object: CatalogObject) => objects.set(`${object.kind}:${object.name}`, object);
  const indexes = await client.query<{ t: string; name: string; def: string }>(
    `SELECT schemaname || '.' || tablename AS t, schemaname || '.' || indexname AS name, indexdef AS def
       FROM pg_indexes WHERE schemaname NOT IN ('pg_catalog', 'information_schema') AND schemaname !~ '^pg_'`,
  );
  for (const row of indexes.rows)
    add({ kind: 'index', table: row.t, name: row.name, definition: row.def });
  const constraints = await client.query<{ t: string; name: string; def: string }>(
    `SELECT n.nspname || '.' || c.relname AS t, n.nspname || '.' || c.relname || '.' || k.conname AS name,
            pg_get_constraintdef(k.oid) AS def
       FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE ${USER_SCHEMA}`,
  );
  for (const row of constraints.rows)
    add({ kind: 'constraint', table: row.t, name: row.name, definition: row.def });
  const views = await client.query<{ name: string; def: string }>(
    `SELECT n.nspname || '.' || c.relname AS name, pg_get_viewdef(c.oid) AS def
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('v', 'm') AND ${USER_SCHEMA}`,
  );
  for (const row of views.rows)
    add({ kind: 'view', table: null, name: row.name, definition: row.def });
  const functions = await client.query<{ name: string; def: string }>(
    `SELECT p.oid::regprocedure::text AS name,
            pg_get_function_result(p.oid) || ' ' || md5(coalesce(p.prosrc, '')) AS def
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE ${USER_SCHEMA}
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')`,
  );
  for (const row of functions.rows)
    add({ kind: 'function', table: null, name: row.name, definition: row.def });
  return { tables, objects };
}

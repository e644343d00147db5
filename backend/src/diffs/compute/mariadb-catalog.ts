import type mysql from 'mysql2/promise';
import { SYSTEM_SCHEMAS } from '../../previews/mariadb-reader.js';
import type { Catalog, CatalogObject, TableShape } from './catalog.js';

type Row = mysql.RowDataPacket;

const USER_SCHEMA = 'TABLE_SCHEMA NOT IN (?)';

/**
 * Reads what a schema diff compares from information_schema of a MariaDB server: tables
 * (`database.table`), columns, primary keys, indexes, constraints, views and routines.
 */
export async function readMariadbCatalog(session: mysql.Connection): Promise<Catalog> {
  const query = async (sql: string) => (await session.query<Row[]>(sql, [SYSTEM_SCHEMAS]))[0];
  const tables = new Map<string, TableShape>();
  for (const row of await query(
    `SELECT CONCAT(c.TABLE_SCHEMA, '.', c.TABLE_NAME) AS t, t.TABLE_ROWS AS estimate,
            c.COLUMN_NAME AS col,
            CONCAT(c.COLUMN_TYPE, IF(c.IS_NULLABLE = 'NO', ' not null', ''),
                   IF(c.COLUMN_DEFAULT IS NULL, '', CONCAT(' default ', c.COLUMN_DEFAULT))) AS shape
       FROM information_schema.COLUMNS c
       JOIN information_schema.TABLES t
         ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
      WHERE t.TABLE_TYPE = 'BASE TABLE' AND c.${USER_SCHEMA}
      ORDER BY 1, c.ORDINAL_POSITION`,
  )) {
    const name = String(row['t']);
    const table = tables.get(name) ?? {
      columns: new Map(),
      key: null,
      estimate: Number(row['estimate'] ?? 0),
    };
    table.columns.set(String(row['col']), String(row['shape']));
    tables.set(name, table);
  }
  const objects = new Map<string, CatalogObject>();
  const add = (object: CatalogObject) => objects.set(`${object.kind}:${object.name}`, object);
  for (const row of await query(
    `SELECT CONCAT(TABLE_SCHEMA, '.', TABLE_NAME) AS t, INDEX_NAME AS name, NON_UNIQUE AS non_unique,
            INDEX_TYPE AS type, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols
       FROM information_schema.STATISTICS WHERE ${USER_SCHEMA}
      GROUP BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, NON_UNIQUE, INDEX_TYPE`,
  )) {
    const table = String(row['t']);
    const columns = String(row['cols']);
    if (row['name'] === 'PRIMARY') {
      const shape = tables.get(table);
      if (shape) shape.key = columns.split(',');
    }
    add({
      kind: 'index',
      table,
      name: `${table}.${row['name']}`,
      definition: `${Number(row['non_unique']) ? '' : 'UNIQUE '}${row['type']} (${columns})`,
    });
  }
  for (const row of await query(
    `SELECT CONCAT(k.TABLE_SCHEMA, '.', k.TABLE_NAME) AS t, k.CONSTRAINT_NAME AS name,
            k.CONSTRAINT_TYPE AS type, c.CHECK_CLAUSE AS clause,
            (SELECT CONCAT(GROUP_CONCAT(u.COLUMN_NAME ORDER BY u.ORDINAL_POSITION),
                           IFNULL(CONCAT(' REFERENCES ', MAX(u.REFERENCED_TABLE_SCHEMA), '.',
                                         MAX(u.REFERENCED_TABLE_NAME), ' (',
                                         GROUP_CONCAT(u.REFERENCED_COLUMN_NAME ORDER BY u.ORDINAL_POSITION), ')'), ''))
               FROM information_schema.KEY_COLUMN_USAGE u
              WHERE u.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND u.TABLE_NAME = k.TABLE_NAME
                AND u.CONSTRAINT_NAME = k.CONSTRAINT_NAME) AS cols
       FROM information_schema.TABLE_CONSTRAINTS k
       LEFT JOIN information_schema.CHECK_CONSTRAINTS c
         ON c.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND c.TABLE_NAME = k.TABLE_NAME
        AND c.CONSTRAINT_NAME = k.CONSTRAINT_NAME
      WHERE k.${USER_SCHEMA}`,
  )) {
    const table = String(row['t']);
    add({
      kind: 'constraint',
      table,
      name: `${table}.${row['name']}`,
      definition: `${row['type']} ${row['clause'] ?? `(${row['cols'] ?? ''})`}`,
    });
  }
  for (const row of await query(
    `SELECT CONCAT(TABLE_SCHEMA, '.', TABLE_NAME) AS name, VIEW_DEFINITION AS def
       FROM information_schema.VIEWS WHERE ${USER_SCHEMA}`,
  ))
    add({ kind: 'view', table: null, name: String(row['name']), definition: String(row['def']) });
  for (const row of await query(
    `SELECT CONCAT(ROUTINE_SCHEMA, '.', ROUTINE_NAME, ' (', LOWER(ROUTINE_TYPE), ')') AS name,
            CONCAT(IFNULL(DTD_IDENTIFIER, ''), ' ', MD5(IFNULL(ROUTINE_DEFINITION, ''))) AS def
       FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA NOT IN (?)`,
  ))
    add({
      kind: 'function',
      table: null,
      name: String(row['name']),
      definition: String(row['def']),
    });
  return { tables, objects };
}

import type { Catalog, CatalogObject } from '../../diffs/compute/catalog.js';
import { schemaDiff, type SchemaChange } from '../../diffs/compute/schema-diff.js';

/** One statement that replays a schema change of the branch on the new branch. */
export interface SchemaStep {
  table: string | null;
  change: SchemaChange;
  /** Statements run in order; built from quoted names and definitions the server deparsed. */
  sql: string[];
  /** `before`: before the rows (drops, new tables and columns); `after`: constraints and indexes. */
  phase: 'before' | 'after';
}

/** A schema change of the branch that is not replayed, and why. */
export interface SkippedChange {
  table: string | null;
  change: SchemaChange;
  reason: string;
}

export interface SchemaPlan {
  steps: SchemaStep[];
  skipped: SkippedChange[];
  /** Tables the branch made (their rows all count as inserts). */
  newTables: string[];
}

/** `escapeIdentifier` of the session the statements run in. */
export type QuoteIdentifier = (name: string) => string;

const NEXTVAL = /^nextval\('([^']+)'::regclass\)$/;

/**
 * The statements that replay the branch's schema changes (base -> head): tables, columns,
 * constraints and indexes added or dropped. Changed columns (type, default, nullability),
 * changed constraints or indexes, views and functions are skipped with a reason. Pure.
 */
export function planSchema(base: Catalog, head: Catalog, quote: QuoteIdentifier): SchemaPlan {
  const diff = schemaDiff(base, head);
  const steps: SchemaStep[] = [];
  const skipped: SkippedChange[] = [];
  const newTables: string[] = [];
  const qualified = (name: string) => {
    const dot = name.indexOf('.');
    return `${quote(name.slice(0, dot))}.${quote(name.slice(dot + 1))}`;
  };
  const shortName = (object: CatalogObject) => object.name.slice(object.name.lastIndexOf('.') + 1);
  // An index that backs a constraint (primary key, unique) comes and goes with the constraint.
  const backsConstraint = (catalog: Catalog, table: string | null, indexName: string) =>
    [...catalog.objects.values()].some(
      (o) => o.kind === 'constraint' && o.table === table && shortName(o) === indexName,
    );
  const dropped = (table: string) => base.tables.has(table) && !head.tables.has(table);
  for (const [table, changes] of [...diff.byTable].sort(([a], [b]) => a.localeCompare(b))) {
    const t = qualified(table);
    for (const change of changes) {
      // A dropped table's constraints and indexes go with it; a new table's come after it.
      if (dropped(table) && change.kind !== 'table') continue;
      const step = (sql: string[], phase: SchemaStep['phase']) =>
        steps.push({ table, change, sql, phase });
      const skip = (reason: string) => skipped.push({ table, change, reason });
      switch (change.kind) {
        case 'table': {
          if (change.change === 'removed') {
            step([`DROP TABLE ${t}`], 'before');
            break;
          }
          const shape = head.tables.get(table)!;
          const columns = [...shape.columns].map(([name, type]) => `${quote(name)} ${type}`);
          step(
            [
              ...sequencesFor([...shape.columns.values()]),
              `CREATE TABLE ${t} (${columns.join(', ')})`,
              ...[...shape.columns]
                .filter(([, type]) => sequenceOf(type))
                .map(
                  ([name, type]) =>
                    `ALTER SEQUENCE ${sequenceOf(type)} OWNED BY ${t}.${quote(name)}`,
                ),
            ],
            'before',
          );
          newTables.push(table);
          break;
        }
        case 'column':
          if (change.change === 'added')
            step(
              [
                ...sequencesFor([change.to!]),
                `ALTER TABLE ${t} ADD COLUMN ${quote(change.name)} ${change.to}`,
              ],
              'before',
            );
          else if (change.change === 'removed')
            step([`ALTER TABLE ${t} DROP COLUMN ${quote(change.name)}`], 'before');
          else skip(`a changed column (type, default or nullability) is not replayed`);
          break;
        case 'constraint': {
          const name = quote(change.name.slice(table.length + 1));
          if (change.change === 'added')
            step([`ALTER TABLE ${t} ADD CONSTRAINT ${name} ${change.to}`], 'after');
          else if (change.change === 'removed')
            step([`ALTER TABLE ${t} DROP CONSTRAINT ${name}`], 'before');
          else skip('a changed constraint is not replayed');
          break;
        }
        case 'index': {
          const index = change.name.slice(change.name.indexOf('.') + 1);
          const catalog = change.change === 'removed' ? base : head;
          if (backsConstraint(catalog, table, index)) break;
          if (change.change === 'added') step([change.to!], 'after');
          else if (change.change === 'removed')
            step([`DROP INDEX ${qualified(change.name)}`], 'before');
          else skip('a changed index is not replayed');
          break;
        }
        default:
          skip(`a ${change.kind} change is not replayed`);
      }
    }
  }
  for (const change of diff.other)
    skipped.push({ table: null, change, reason: `${change.kind}s are not replayed` });
  return { steps, skipped, newTables };
}

/** The sequence a `nextval('…'::regclass)` default draws from, as the server wrote it. */
function sequenceOf(columnShape: string): string | null {
  const at = columnShape.indexOf(' default ');
  return at < 0 ? null : (NEXTVAL.exec(columnShape.slice(at + ' default '.length))?.[1] ?? null);
}

/** Serial columns of new tables or columns draw from sequences the new branch does not have yet. */
function sequencesFor(columnShapes: string[]): string[] {
  return columnShapes
    .map(sequenceOf)
    .filter((sequence): sequence is string => sequence !== null)
    .map((sequence) => `CREATE SEQUENCE IF NOT EXISTS ${sequence}`);
}

import { describe, expect, it } from 'vitest';
import type { Catalog, CatalogObject, TableShape } from './catalog.js';
import { schemaDiff } from './schema-diff.js';

const table = (columns: Record<string, string>, key: string[] | null = ['id']): TableShape => ({
  columns: new Map(Object.entries(columns)),
  key,
  estimate: 0,
});
const catalog = (tables: Record<string, TableShape>, objects: CatalogObject[] = []): Catalog => ({
  tables: new Map(Object.entries(tables)),
  objects: new Map(objects.map((o) => [`${o.kind}:${o.name}`, o])),
});

describe('schemaDiff', () => {
  it('reports tables, columns and their types, indexes, constraints, views and functions', () => {
    const from = catalog(
      {
        'public.employees': table({ id: 'integer not null', name: 'text', salary: 'integer' }),
        'public.gone': table({ id: 'integer not null' }),
      },
      [
        { kind: 'view', table: null, name: 'public.rich', definition: 'SELECT 1' },
        { kind: 'function', table: null, name: 'public.f()', definition: 'integer abc' },
      ],
    );
    const to = catalog(
      {
        'public.employees': table({
          id: 'integer not null',
          name: 'text',
          salary: 'bigint',
          email: 'text',
        }),
        'public.fresh': table({ x: 'text' }, null),
      },
      [
        {
          kind: 'index',
          table: 'public.employees',
          name: 'public.employees_name',
          definition: 'CREATE INDEX employees_name ON public.employees USING btree (name)',
        },
        { kind: 'view', table: null, name: 'public.rich', definition: 'SELECT 2' },
        { kind: 'function', table: null, name: 'public.f()', definition: 'integer abc' },
      ],
    );
    const diff = schemaDiff(from, to);
    expect(diff.byTable.get('public.employees')).toEqual([
      { kind: 'column', name: 'email', change: 'added', to: 'text' },
      { kind: 'column', name: 'salary', change: 'changed', from: 'integer', to: 'bigint' },
      {
        kind: 'index',
        name: 'public.employees_name',
        change: 'added',
        to: 'CREATE INDEX employees_name ON public.employees USING btree (name)',
      },
    ]);
    expect(diff.byTable.get('public.fresh')).toEqual([
      { kind: 'table', name: 'public.fresh', change: 'added' },
    ]);
    expect(diff.byTable.get('public.gone')).toEqual([
      { kind: 'table', name: 'public.gone', change: 'removed' },
    ]);
    expect(diff.other).toEqual([
      { kind: 'view', name: 'public.rich', change: 'changed', from: 'SELECT 1', to: 'SELECT 2' },
    ]);
  });

  it('finds nothing between equal catalogs', () => {
    const same = () => catalog({ 'public.t': table({ id: 'integer' }) });
    const diff = schemaDiff(same(), same());
    expect(diff.byTable.size).toBe(0);
    expect(diff.other).toEqual([]);
  });
});

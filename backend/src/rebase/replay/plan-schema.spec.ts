import { describe, expect, it } from 'vitest';
import type { Catalog, CatalogObject, TableShape } from '../../diffs/compute/catalog.js';
import { planSchema } from './plan-schema.js';

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

function catalog(
  tables: Record<string, { columns: Record<string, string>; key?: string[] }>,
  objects: CatalogObject[] = [],
): Catalog {
  return {
    tables: new Map(
      Object.entries(tables).map(([name, t]): [string, TableShape] => [
        name,
        { columns: new Map(Object.entries(t.columns)), key: t.key ?? null, estimate: 0 },
      ]),
    ),
    objects: new Map(objects.map((o) => [`${o.kind}:${o.name}`, o])),
  };
}

const pkey = (table: string, name: string, column: string): CatalogObject[] => [
  { kind: 'constraint', table, name: `${table}.${name}`, definition: `PRIMARY KEY (${column})` },
  {
    kind: 'index',
    table,
    name: `public.${name}`,
    definition: `CREATE UNIQUE INDEX ${name} ON ${table} USING btree (${column})`,
  },
];

describe('planSchema', () => {
  const people = { columns: { id: 'integer not null', name: 'text' }, key: ['id'] };
  const base = catalog({ 'public.people': people, 'public.old': { columns: { a: 'text' } } }, [
    ...pkey('public.people', 'people_pkey', 'id'),
  ]);

  it('adds and drops tables, columns and indexes; a new table brings its sequence and key', async () => {
    const head = catalog(
      {
        'public.people': { columns: { id: 'integer not null', email: 'text' }, key: ['id'] },
        'public.my table': {
          columns: { id: 'integer not null default nextval(\'"my table_id_seq"\'::regclass)' },
          key: ['id'],
        },
      },
      [
        ...pkey('public.people', 'people_pkey', 'id'),
        ...pkey('public.my table', 'my table_pkey', 'id'),
        {
          kind: 'index',
          table: 'public.people',
          name: 'public.people_email',
          definition: 'CREATE INDEX people_email ON public.people USING btree (email)',
        },
      ],
    );
    const plan = planSchema(base, head, quote);
    expect(plan.skipped).toEqual([]);
    expect(plan.newTables).toEqual(['public.my table']);
    expect(plan.steps.map((s) => [s.phase, ...s.sql])).toEqual([
      [
        'before',
        'CREATE SEQUENCE IF NOT EXISTS "my table_id_seq"',
        `CREATE TABLE "public"."my table" ("id" integer not null default nextval('"my table_id_seq"'::regclass))`,
        'ALTER SEQUENCE "my table_id_seq" OWNED BY "public"."my table"."id"',
      ],
      ['after', 'ALTER TABLE "public"."my table" ADD CONSTRAINT "my table_pkey" PRIMARY KEY (id)'],
      ['before', 'DROP TABLE "public"."old"'],
      ['before', 'ALTER TABLE "public"."people" ADD COLUMN "email" text'],
      ['before', 'ALTER TABLE "public"."people" DROP COLUMN "name"'],
      ['after', 'CREATE INDEX people_email ON public.people USING btree (email)'],
    ]);
  });

  it('skips changed columns, views and functions with a reason', async () => {
    const head = catalog(
      {
        'public.people': { columns: { id: 'bigint not null', name: 'text' }, key: ['id'] },
        'public.old': { columns: { a: 'text' } },
      },
      [
        ...pkey('public.people', 'people_pkey', 'id'),
        { kind: 'view', table: null, name: 'public.v', definition: 'SELECT 1' },
      ],
    );
    const plan = planSchema(base, head, quote);
    expect(plan.steps).toEqual([]);
    expect(plan.skipped).toEqual([
      {
        table: 'public.people',
        change: {
          kind: 'column',
          name: 'id',
          change: 'changed',
          from: 'integer not null',
          to: 'bigint not null',
        },
        reason: 'a changed column (type, default or nullability) is not replayed',
      },
      {
        table: null,
        change: { kind: 'view', name: 'public.v', change: 'added', to: 'SELECT 1' },
        reason: 'views are not replayed',
      },
    ]);
  });

  it('quotes every name it builds', () => {
    const head = catalog(
      {
        'public.people': { columns: { id: 'integer not null', name: 'text' } },
        'public.old': { columns: { a: 'text' } },
        'public.x"; DROP TABLE people; --': { columns: { 'c"': 'text' } },
      },
      pkey('public.people', 'people_pkey', 'id'),
    );
    const plan = planSchema(base, head, quote);
    expect(plan.steps[0]!.sql).toEqual([
      'CREATE TABLE "public"."x""; DROP TABLE people; --" ("c""" text)',
    ]);
  });
});

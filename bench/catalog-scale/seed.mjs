// A large catalog written straight into a metadata database with a few INSERT … SELECT
// generate_series statements (seconds, not the hours the agents would take): containers with a
// branch each, timeline points, bookmarks, jobs and audit events, owned by two users.
import pg from 'pg';

/** Columns of `table`; `required`: NOT NULL without a default. */
async function columnsOf(db, table) {
  const { rows } = await db.query(
    `SELECT column_name AS name, data_type AS type, udt_name AS udt,
            is_nullable = 'NO' AND column_default IS NULL AS required
       FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`,
    [table],
  );
  return rows;
}

/** A value of the column's type for columns the bench does not care about. */
function filler({ type, udt }) {
  if (type === 'ARRAY') return `'{}'`;
  if (udt === 'uuid') return 'gen_random_uuid()';
  if (udt === 'jsonb' || udt === 'json') return `'{}'`;
  if (udt === 'bool') return 'false';
  if (udt.startsWith('int') || udt === 'numeric' || udt.startsWith('float')) return '0';
  if (udt.startsWith('timestamp')) return 'now()';
  return `'bench'`;
}

/**
 * Inserts into `table` one row per `series` row (`FROM <series> AS s`): `values` names the
 * columns the bench cares about (SQL over `s`; those the schema no longer has are left out),
 * every other required column gets a filler, so the seed survives most schema changes.
 */
async function insert(db, table, series, values) {
  const columns = {};
  for (const column of await columnsOf(db, table))
    if (column.name in values) columns[column.name] = values[column.name];
    else if (column.required) columns[column.name] = filler(column);
  const names = Object.keys(columns);
  await db.query(
    `INSERT INTO "${table}" (${names.map((n) => `"${n}"`).join(', ')})
     SELECT ${names.map((n) => columns[n]).join(', ')} FROM ${series} AS s`,
  );
}

/** A uuid derived from a label and a number, so rows can name each other without lookups. */
const id = (label, n) =>
  `(substr(md5('${label}' || ${n}), 1, 8) || '-' || substr(md5('${label}' || ${n}), 9, 4) || '-4' || substr(md5('${label}' || ${n}), 14, 3) || '-8' || substr(md5('${label}' || ${n}), 18, 3) || '-' || substr(md5('${label}' || ${n}), 21, 12))::uuid`;

/** Creation times spread over the last `days`, older for smaller n. */
const createdAt = (n, count, days = 90) =>
  `now() - (interval '${days} days' * (1 - (${n})::float8 / ${count}))`;

/**
 * Seeds the catalog at `databaseUrl`: `containers` containers of one template on `hostId`,
 * owned by `owner` except every tenth (owned by `other`, its bookmarks shared with everyone);
 * one branch each; `points` points (a tenth on the first container's branch, the rest spread);
 * `bookmarks` bookmarks on points; as many jobs and twice as many audit events.
 * Answers the ids the measurements use.
 */
export async function seedCatalog(databaseUrl, { hostId, owner, other }, sizes) {
  const { containers, bookmarks, points } = sizes;
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query('BEGIN');
    const templateId = id('template', 0);
    await insert(db, 'template', 'generate_series(1, 1)', {
      id: templateId,
      name: `'bench-catalog'`,
      hostId: `'${hostId}'`,
    });
    const ownerOf = (n) =>
      `CASE WHEN ${n} % 10 = 9 THEN '${other}'::uuid ELSE '${owner}'::uuid END`;
    await insert(db, 'container', `generate_series(0, ${containers - 1})`, {
      id: id('container', 's'),
      name: `'bench-' || s`,
      templateId,
      hostId: `'${hostId}'`,
      templateVersion: `'v1'`,
      ownerIds: `ARRAY[${ownerOf('s')}]`,
      activeBranchId: id('branch', 's'),
      state: `'ready'`,
      createdAt: createdAt('s', containers),
    });
    await insert(db, 'branch', `generate_series(0, ${containers - 1})`, {
      id: id('branch', 's'),
      containerId: id('container', 's'),
      name: `'default'`,
      state: `'ready'`,
      templateVersion: `'v1'`,
      createdById: ownerOf('s'),
      createdAt: createdAt('s', containers),
    });
    // A tenth of the points on the first branch (a long timeline), the rest round-robin.
    const long = Math.floor(points / 10);
    const container = `(CASE WHEN s < ${long} THEN 0 ELSE s % ${containers} END)`;
    await insert(db, 'point', `generate_series(0, ${points - 1})`, {
      id: id('point', 's'),
      branchId: id('branch', container),
      containerId: id('container', container),
      type: `(CASE WHEN s % 7 = 0 THEN 'bookmark' ELSE 'snapshot' END)`,
      templateVersion: `'v1'`,
      createdAt: createdAt('s', points),
    });
    // Bookmark n holds point long + n (spread over every container).
    const pointOf = (n) => `(${long} + ${n})`;
    const bookmarkContainer = `(${pointOf('s')} % ${containers})`;
    await insert(db, 'bookmark', `generate_series(0, ${bookmarks - 1})`, {
      id: id('bookmark', 's'),
      containerId: id('container', bookmarkContainer),
      branchId: id('branch', bookmarkContainer),
      pointId: id('point', pointOf('s')),
      name: `'bookmark ' || s`,
      description: `(CASE WHEN s % 100 = 0 THEN 'edge case data ' ELSE 'nightly ' END) || s`,
      tags: `ARRAY['qa', 'tag-' || (s % 50)]`,
      bugRef: `'BUG-' || s`,
      creatorId: ownerOf(bookmarkContainer),
      visibility: `(CASE WHEN ${bookmarkContainer} % 10 = 9 THEN 'everyone' ELSE 'private' END)`,
      createdAt: createdAt('s', bookmarks),
    });
    await insert(db, 'job', `generate_series(0, ${bookmarks - 1})`, {
      id: id('job', 's'),
      type: `'bookmark'`,
      containerId: id('container', `(s % ${containers})`),
      userId: ownerOf(`(s % ${containers})`),
      state: `'succeeded'`,
      payload: `'{}'`,
      createdAt: createdAt('s', bookmarks),
    });
    await insert(db, 'audit_event', `generate_series(0, ${2 * bookmarks - 1})`, {
      id: id('audit', 's'),
      userId: `'${owner}'`,
      action: `'bookmark.create'`,
      entityType: `'bookmark'`,
      entityId: id('bookmark', `(s % ${bookmarks})`),
      createdAt: createdAt('s', 2 * bookmarks),
    });
    await db.query('COMMIT');
    await db.query('ANALYZE');
    const first = await db.query(
      `SELECT ${id('container', 0)} AS container, ${id('branch', 0)} AS branch`,
    );
    return {
      templateId,
      longContainerId: first.rows[0].container,
      longBranchId: first.rows[0].branch,
    };
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await db.end();
  }
}

/** Deletes the seeded bookmarks (the only seeded rows the stack's teardown walks). */
export async function unseedBookmarks(databaseUrl) {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query('DELETE FROM bookmark');
  } finally {
    await db.end();
  }
}

// Catalog scale (issue 12 point 5): with 1,000 containers, 10,000 bookmarks and 100,000
// timeline points in the metadata database, the p95 of each paginated list endpoint and of a
// timeline page, through the API of a control plane running on that catalog (--quick: fewer
// requests). The catalog is written straight into the stack's own
// metadata database (seed.mjs), not through agents.
import { withStack } from '../lib/stack.mjs';
import { median, percentile } from '../lib/timing.mjs';
import { seedCatalog, unseedBookmarks } from './seed.mjs';

const FULL = { containers: 1_000, bookmarks: 10_000, points: 100_000 };
const TARGET_MS = 50;
// Clone ports of the stack's agent (it serves nothing here): the top of the bench's range.
const CLONE_PORTS = { first: 57990, last: 57999 };

/** p50 and p95 of `runs` sequential GETs of `url` (after a few unmeasured ones), in ms. */
async function timesOf(url, token, runs) {
  const once = async () => {
    const started = process.hrtime.bigint();
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  for (let i = 0; i < 5; i++) await once();
  const times = [];
  for (let i = 0; i < runs; i++) times.push(await once());
  return { p50: median(times), p95: percentile(times, 95) };
}

/** The X-Next-Cursor of a list page. */
async function nextCursor(url, token) {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  await response.arrayBuffer();
  const cursor = response.headers.get('x-next-cursor');
  if (!cursor) throw new Error(`GET ${url}: no next page`);
  return cursor;
}

/** Seeds a catalog of `sizes` below a fresh stack and measures every list endpoint; rows of the table. */
export async function measureCatalog({ sizes = FULL, runs = 100, log = () => undefined } = {}) {
  return withStack('bench-catalog', CLONE_PORTS, async (stack) => {
    const owner = await stack.createUser('bench-owner');
    const other = await stack.createUser('bench-other');
    log(
      `seeding ${sizes.containers} containers, ${sizes.bookmarks} bookmarks, ${sizes.points} points`,
    );
    const seeded = await seedCatalog(
      stack.databaseUrl,
      { hostId: stack.hostId, owner: owner.id, other: other.id },
      sizes,
    );
    const api = stack.apiUrl;
    const timeline = `${api}/branches/${seeded.longBranchId}/timeline`;
    const endpoints = [
      ['GET /containers', '/containers', owner.token],
      ['GET /bookmarks?scope=mine', '/bookmarks?scope=mine', owner.token],
      ['GET /bookmarks?scope=shared', '/bookmarks?scope=shared', owner.token],
      ['GET /bookmarks?tag=', '/bookmarks?tag=tag-7', owner.token],
      ['GET /bookmarks?q=', '/bookmarks?q=edge', owner.token],
      ['GET /jobs', '/jobs', owner.token],
      ['GET /jobs?containerId=', `/jobs?containerId=${seeded.longContainerId}`, owner.token],
      ['GET /audit', '/audit', stack.adminToken],
      ['GET /branches/:id/timeline', `/branches/${seeded.longBranchId}/timeline`, owner.token],
    ];
    const rows = [];
    try {
      for (const [figure, path, token] of endpoints)
        rows.push({ figure, ...(await timesOf(`${api}${path}`, token, runs)) });
      const cursor = await nextCursor(timeline, owner.token);
      rows.push({
        figure: 'GET /branches/:id/timeline (next page)',
        ...(await timesOf(`${timeline}?cursor=${cursor}`, owner.token, runs)),
      });
    } finally {
      // The stack's teardown releases every bookmark's hold at the agent, one call each: the
      // seeded ones hold nothing there, and 10,000 calls would take minutes.
      await unseedBookmarks(stack.databaseUrl);
    }
    const catalog = `${sizes.containers} containers, ${sizes.bookmarks} bookmarks, ${sizes.points} points`;
    return rows.map(({ figure, p50, p95 }) => ({
      figure: `catalog: ${figure} p95 (p50 ${p50.toFixed(1)} ms; ${catalog})`,
      value: p95,
      unit: 'ms',
      target: `< ${TARGET_MS} ms (p95 at ${Math.round((100 * p95) / TARGET_MS)} %)`,
    }));
  });
}

export default {
  async run(context) {
    // Seeding the full catalog takes seconds: --quick only measures fewer requests.
    return measureCatalog({ runs: context.quick ? 30 : 100, log: context.log });
  },
};

import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Io } from '../context.js';
import { ExitCode } from '../errors.js';
import { run } from '../main.js';

const HOST = '11111111-1111-4111-8111-111111111111';
const ORPHAN = {
  hostId: HOST,
  host: 'zfs-1',
  key: 'container:c9',
  kind: 'container',
  id: 'c9',
  dataset: 'tank/bp/containers/c9',
  bytes: 4096,
  createdAt: '2026-11-23T09:00:00Z',
  dependents: [],
  pending: false,
  installation: 'inst-1',
  datasets: ['tank/bp/containers/c9', 'tank/bp/containers/c9/b9'],
  snapshots: 2,
  verdict: 'destroyable',
  reason: 'the catalog once knew it',
  fingerprint: '0123456789abcdef',
};
const JOB = {
  id: 'j1',
  type: 'destroy-orphans',
  containerId: null,
  state: 'succeeded',
  progress: 100,
  log: [],
  createdAt: '2026-11-23T09:00:00Z',
  startedAt: null,
  finishedAt: null,
};

/** Runs `admin …` against a fake API that answers `routes[METHOD path]`, 404 otherwise. */
async function admin(args: string[], routes: Record<string, unknown>) {
  const out: string[] = [];
  const err: string[] = [];
  const requests: { route: string; body: unknown }[] = [];
  const io: Io = {
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: (text: string) => err.push(text) },
    stdin: Readable.from([]),
    env: { BRANCHPOINT_URL: 'http://bp.test', BRANCHPOINT_TOKEN: 'tok', XDG_CONFIG_HOME: '/x' },
    fetch: (async (url: string, init?: RequestInit) => {
      const route = `${init?.method ?? 'GET'} ${new URL(url).pathname.replace('/api/v1', '')}`;
      requests.push({ route, body: init?.body ? JSON.parse(String(init.body)) : undefined });
      return route in routes
        ? new Response(JSON.stringify(routes[route]), { status: 200 })
        : new Response('{"statusCode":404,"message":"not found"}', { status: 404 });
    }) as typeof globalThis.fetch,
  };
  const code = await run(['admin', ...args], io);
  return { code, stdout: out.join(''), stderr: err.join(''), requests };
}

describe('admin orphans', () => {
  it('lists the orphans of every host', async () => {
    const { code, stdout } = await admin(['orphans'], { 'GET /reconciliation/orphans': [ORPHAN] });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^HOST\s+KEY\s+DATASET\s+BYTES/);
    expect(stdout).toContain('container:c9  tank/bp/containers/c9  4096');
  });

  it('destroys exactly the keys given as listed now, on the host that lists them', async () => {
    const { code, requests, stderr } = await admin(['orphans', 'destroy', 'container:c9'], {
      'GET /reconciliation/orphans': [ORPHAN],
      'POST /reconciliation/orphans/destroy': { jobId: 'j1' },
      'GET /jobs/j1': JOB,
    });
    expect(code).toBe(0);
    expect(requests).toContainEqual({
      route: 'POST /reconciliation/orphans/destroy',
      body: { hostId: HOST, orphans: [{ key: 'container:c9', fingerprint: '0123456789abcdef' }] },
    });
    expect(stderr).toContain(
      'destroying on host zfs-1: tank/bp/containers/c9, tank/bp/containers/c9/b9',
    );
    expect(stderr).toContain('destroy container:c9: done');
  });

  it('destroys nothing when a key is not destroyable', async () => {
    const foreign = { ...ORPHAN, verdict: 'foreign', reason: 'it belongs to installation x' };
    const { code, requests, stderr } = await admin(['orphans', 'destroy', 'container:c9'], {
      'GET /reconciliation/orphans': [foreign],
    });
    expect(code).toBe(ExitCode.usage);
    expect(stderr).toContain('container:c9 is not destroyable (foreign)');
    expect(requests.map((r) => r.route)).toEqual(['GET /reconciliation/orphans']);
  });

  it('destroys nothing when a key is not listed', async () => {
    const { code, requests, stderr } = await admin(['orphans', 'destroy', 'container:c1'], {
      'GET /reconciliation/orphans': [ORPHAN],
    });
    expect(code).toBe(ExitCode.usage);
    expect(stderr).toContain('container:c1 is not listed');
    expect(requests.map((r) => r.route)).toEqual(['GET /reconciliation/orphans']);
  });
});

describe('admin reconcile', () => {
  it('runs a cycle and lists each divergence with what was done', async () => {
    const report = {
      hostId: HOST,
      host: 'zfs-1',
      checkedAt: '2026-11-23T09:00:00Z',
      error: null,
      skipped: [{ kind: 'container', id: 'c2', name: 'busy-one', reason: 'busy' }],
      orphans: [],
      divergences: [
        {
          kind: 'active-branch',
          subject: { containerId: 'c1', containerName: 'qa' },
          catalog: 'default (b1)',
          host: 'feature (b2)',
          action: 'repaired',
        },
      ],
    };
    const { code, stdout } = await admin(['reconcile'], { 'POST /reconciliation': [report] });
    expect(code).toBe(0);
    expect(stdout).toContain('1 divergences; skipped (busy): container busy-one');
    expect(stdout).toMatch(
      /zfs-1\s+active-branch\s+repaired\s+container qa \(c1\)\s+default \(b1\)\s+feature \(b2\)/,
    );
  });
});

describe('admin recover', () => {
  const adopted = (kind: string, id: string, name: string | null) => ({
    kind,
    id,
    name,
    containerId: kind === 'template' || kind === 'version' ? null : 'c1',
    hostId: HOST,
    host: 'zfs-1',
    from: 'record',
  });
  const result = (dryRun: boolean) => ({
    dryRun,
    hosts: [{ hostId: HOST, host: 'zfs-1', error: null }],
    adopted: [
      adopted('container', 'c1', 'qa'),
      adopted('point', 'p1', null),
      adopted('bookmark', 'k1', 'edge cases'),
    ],
    skipped: [
      {
        kind: 'container',
        id: 'c7',
        hostId: HOST,
        host: 'zfs-1',
        reason: 'its template t9 is unknown',
      },
    ],
    unchanged: { template: 1, version: 2, container: 0, branch: 0, point: 0, bookmark: 0 },
    users: [{ id: 'u1', username: 'alice', password: dryRun ? null : 'Xk3-secret' }],
  });

  it('recovers and prints what was adopted, skipped, and the new users with their passwords', async () => {
    const { code, stdout, requests } = await admin(['recover'], {
      'POST /recovery': result(false),
    });
    expect(code).toBe(0);
    expect(requests).toEqual([{ route: 'POST /recovery', body: { dryRun: false } }]);
    expect(stdout).toContain(
      'adopted: 0 templates, 0 versions, 1 containers, 0 branches, 1 points, 1 bookmarks',
    );
    expect(stdout).toContain('unchanged (already in the catalog): 1 templates, 2 versions');
    expect(stdout).toMatch(/container\s+qa\s+c1\s+zfs-1\s+record/);
    expect(stdout).not.toMatch(/^point/m);
    expect(stdout).toMatch(/container\s+c7\s+zfs-1\s+its template t9 is unknown/);
    expect(stdout).toContain('alice  Xk3-secret');
  });

  it('sends a dry run and says what it would do', async () => {
    const { code, stdout, requests } = await admin(['recover', '--dry-run'], {
      'POST /recovery': result(true),
    });
    expect(code).toBe(0);
    expect(requests[0]!.body).toEqual({ dryRun: true });
    expect(stdout).toContain('would adopt: 0 templates');
    expect(stdout).toContain('users to create: alice');
  });
});

describe('admin drain', () => {
  const OTHER = '22222222-2222-4222-8222-222222222222';
  const hosts = [
    { id: HOST, name: 'zfs-1', status: 'up' },
    { id: OTHER, name: 'zfs-2', status: 'up' },
  ];
  const drained = {
    moves: [
      { containerId: 'c1', name: 'qa', hostId: OTHER, jobId: 'j1' },
      { containerId: 'c2', name: 'dev', hostId: OTHER, jobId: 'j2' },
    ],
    skipped: [{ containerId: 'c3', name: 'solo', reason: 'template "x" is on no other host' }],
  };
  const moveJob = (id: string, state: string) => ({ ...JOB, id, type: 'move-container', state });

  it('drains the host named, lists the moves and what stays, and waits for each move', async () => {
    const { code, stdout, stderr, requests } = await admin(['drain', 'zfs-1'], {
      'GET /hosts': hosts,
      [`POST /hosts/${HOST}/drain`]: drained,
      'GET /jobs/j1': moveJob('j1', 'succeeded'),
      'GET /jobs/j2': moveJob('j2', 'succeeded'),
    });
    expect(code).toBe(0);
    expect(requests.map((r) => r.route)).toContain(`POST /hosts/${HOST}/drain`);
    expect(stdout).toContain('host zfs-1 is draining: 2 move(s) started');
    expect(stdout).toMatch(/qa\s+zfs-2\s+j1/);
    expect(stdout).toMatch(/solo\s+template "x" is on no other host/);
    expect(stderr).toContain('move container "dev" to host zfs-2: done');
  });

  it('fails (exit 1) naming the moves that failed', async () => {
    const { code, stderr } = await admin(['drain', HOST], {
      'GET /hosts': hosts,
      [`POST /hosts/${HOST}/drain`]: drained,
      'GET /jobs/j1': moveJob('j1', 'succeeded'),
      'GET /jobs/j2': { ...moveJob('j2', 'failed'), error: 'host "zfs-2" is down' },
    });
    expect(code).toBe(ExitCode.failed);
    expect(stderr).toContain('host "zfs-2" is down');
    expect(stderr).toContain('1 move(s) failed: dev');
  });

  it('with --no-wait lists the moves and waits for none of them', async () => {
    const { code, stdout, requests } = await admin(['drain', 'zfs-1', '--no-wait'], {
      'GET /hosts': hosts,
      [`POST /hosts/${HOST}/drain`]: drained,
    });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^CONTAINER\s+TO HOST\s+JOB$/m);
    expect(stdout).toMatch(/dev\s+zfs-2\s+j2/);
    expect(requests.map((r) => r.route)).toEqual(['GET /hosts', `POST /hosts/${HOST}/drain`]);
  });

  it('names the hosts there are when the one given is not one of them', async () => {
    const { code, stderr, requests } = await admin(['drain', 'zfs-9'], { 'GET /hosts': hosts });
    expect(code).toBe(ExitCode.notFound);
    expect(stderr).toContain('no host "zfs-9" (hosts: zfs-1, zfs-2)');
    expect(requests.map((r) => r.route)).toEqual(['GET /hosts']);
  });

  it('undrain takes new containers there again', async () => {
    const { code, stderr, requests } = await admin(['undrain', 'zfs-2'], {
      'GET /hosts': hosts,
      [`DELETE /hosts/${OTHER}/drain`]: {},
    });
    expect(code).toBe(0);
    expect(requests.map((r) => r.route)).toContain(`DELETE /hosts/${OTHER}/drain`);
    expect(stderr).toContain('host zfs-2 takes new containers again');
  });
});

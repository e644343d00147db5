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

  it('destroys exactly the keys given, on the host that lists them', async () => {
    const { code, requests, stderr } = await admin(['orphans', 'destroy', 'container:c9'], {
      'GET /reconciliation/orphans': [ORPHAN],
      'POST /reconciliation/orphans/destroy': { hostId: HOST, destroyed: ['container:c9'] },
    });
    expect(code).toBe(0);
    expect(requests.at(-1)).toEqual({
      route: 'POST /reconciliation/orphans/destroy',
      body: { hostId: HOST, keys: ['container:c9'] },
    });
    expect(stderr).toContain('destroyed on host');
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

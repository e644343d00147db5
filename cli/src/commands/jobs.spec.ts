import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Io } from '../context.js';
import { run } from '../main.js';

const JOB_ID = '55555555-5555-4555-8555-555555555555';
const JOB = {
  id: JOB_ID,
  type: 'ingest-template-version',
  containerId: null,
  state: 'failed',
  progress: 40,
  error: 'afterIngestShell hook on source crm-db exited with code 3',
  log: ['ingesting v2 of template crm: crm-db', 'crm-db: afterIngestShell: cannot mask'],
  createdAt: '2026-11-23T09:00:00Z',
  startedAt: '2026-11-23T09:00:01Z',
  finishedAt: '2026-11-23T09:00:09Z',
};

/** Runs the CLI with `answer` for the one request path (with query) it expects, 404 for others. */
async function runJobs(args: string[], path: string, answer: unknown) {
  const out: string[] = [];
  const io: Io = {
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: () => undefined },
    stdin: Readable.from([]),
    env: { BRANCHPOINT_URL: 'http://bp.test', BRANCHPOINT_TOKEN: 'tok', XDG_CONFIG_HOME: '/x' },
    fetch: (async (url: string) => {
      const { pathname, search } = new URL(url);
      return pathname + search === `/api/v1${path}`
        ? new Response(JSON.stringify(answer), { status: 200 })
        : new Response('{}', { status: 404 });
    }) as typeof globalThis.fetch,
  };
  const code = await run(['jobs', ...args], io);
  return { code, stdout: out.join('') };
}

const jobsShow = (args: string[], job: Record<string, unknown>) =>
  runJobs(['show', JOB_ID, ...args], `/jobs/${JOB_ID}`, job);

describe('jobs list', () => {
  it("lists a container's jobs as a table", async () => {
    const container = '66666666-6666-4666-8666-666666666666';
    const { code, stdout } = await runJobs(
      ['list', '--container', container],
      `/jobs?containerId=${container}`,
      [{ ...JOB, containerId: container }],
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ID +TYPE +STATE +PROGRESS +CONTAINER +CREATED +ERROR\n/);
    expect(stdout).toContain(`${JOB_ID}  ingest-template-version  failed  40%`);
  });
});

describe('jobs show', () => {
  it("prints the job's log after its details", async () => {
    const { code, stdout } = await jobsShow([], JOB);
    expect(code).toBe(0);
    expect(stdout).toContain(
      'Error:     afterIngestShell hook on source crm-db exited with code 3',
    );
    expect(stdout).toMatch(
      /\nLog:\n {2}ingesting v2 of template crm: crm-db\n {2}crm-db: afterIngestShell: cannot mask\n$/,
    );
  });

  it('includes the log with --json', async () => {
    const { stdout } = await jobsShow(['--json'], JOB);
    expect(JSON.parse(stdout).log).toEqual(JOB.log);
  });

  it('prints no log section for an empty log', async () => {
    const { stdout } = await jobsShow([], { ...JOB, log: [] });
    expect(stdout).not.toContain('Log:');
  });
});

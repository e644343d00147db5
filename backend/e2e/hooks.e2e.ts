import {
  createSourceDatabase,
  startStack,
  type SourceDatabase,
  type Stack,
} from '@branchpoint/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobView } from '@branchpoint/contracts';
import { TIMING_PREFIX } from '../src/common/job-log.js';
import { createContainer, getContainer, sql } from './support.js';

const MASK = "UPDATE customers SET email = md5(email) || '@example.invalid'";
const AFTER_START = [
  'CREATE TABLE IF NOT EXISTS starts (at timestamptz)',
  'INSERT INTO starts VALUES (now())',
];
const CUSTOMERS_SQL = `
  CREATE TABLE customers (id int PRIMARY KEY, email text NOT NULL);
  INSERT INTO customers SELECT g, 'person' || g || '@real-company.com' FROM generate_series(1, 100) g;
`;

describe('template hooks', () => {
  let stack: Stack;
  let source: SourceDatabase;

  /** Refreshes a template (v1 ready) whose hook fails: the job fails and v2 is kept as failed. */
  async function refreshFails(path: string): Promise<JobView> {
    const { jobId } = await stack.api.expect<{ jobId: string }>(202, 'POST', `${path}/refresh`);
    const job = await stack.api.waitForJob(jobId);
    expect(job.state).toBe('failed');
    const detail = await stack.api.expect<{ versions: { version: string; state: string }[] }>(
      200,
      'GET',
      path,
    );
    expect(detail.versions.map((v) => [v.version, v.state])).toEqual([
      ['v1', 'ready'],
      ['v2', 'failed'],
    ]);
    return job;
  }

  beforeAll(async () => {
    stack = await startStack({ project: 'hooks', clonePorts: { first: 56800, last: 56899 } });
    source = await createSourceDatabase({ prefix: 'hooks', setupSql: CUSTOMERS_SQL });
  });

  afterAll(async () => {
    await source?.drop().catch(() => undefined);
    await stack?.stop();
  });

  it('masks a column before any container sees it, and logs what the hook did', async () => {
    const { id, job } = await stack.api.operate('POST', '/templates', {
      name: 'crm',
      hostId: stack.hostId,
      sources: [{ name: 'crm-db', kind: 'postgres', connectionString: source.connectionString }],
      hooks: { afterIngest: [MASK], afterStart: AFTER_START },
    });
    expect(job.result).toMatchObject({ version: 'v1' });
    expect(job.log).toContain('crm-db: hook 1: UPDATE 100');
    expect(job.log.filter((line) => !line.startsWith(TIMING_PREFIX)).at(-1)).toBe(
      'version v1 ready',
    );
    const template = await stack.api.expect<{ hooks: unknown }>(200, 'GET', `/templates/${id}`);
    expect(template.hooks).toEqual({ afterIngest: [MASK], afterStart: AFTER_START });

    const container = await createContainer(stack.api, id!, 'masked');
    const rows = await sql<{ email: string }>(container, 'SELECT email FROM customers');
    expect(rows).toHaveLength(100);
    for (const row of rows) expect(row.email).toMatch(/^[0-9a-f]{32}@example\.invalid$/);
    const unmasked = await sql(
      container,
      "SELECT 1 FROM customers WHERE email LIKE '%@real-company.com'",
    );
    expect(unmasked).toHaveLength(0);
    expect(await sql(container, 'SELECT * FROM starts')).toHaveLength(1);
  });

  it('changes hooks with PATCH (admins only, validated); a failing hook fails the refresh', async () => {
    const [template] = await stack.api.expect<{ id: string }[]>(200, 'GET', '/templates');
    const path = `/templates/${template!.id}`;
    const user = await stack.createUser('hooks-user');
    expect((await user.api.patch(path, { hooks: { afterIngest: [] } })).status).toBe(403);
    expect((await stack.api.patch(path, { hooks: { afterIngest: ['  '] } })).status).toBe(400);
    expect((await stack.api.patch(path, { hooks: { afterIngest: 'DELETE' } })).status).toBe(400);

    const bad = 'UPDATE no_such_table SET x = 1';
    const updated = await stack.api.expect<{ hooks: unknown }>(200, 'PATCH', path, {
      hooks: { afterIngest: [bad] },
    });
    expect(updated.hooks).toEqual({ afterIngest: [bad] });
    const job = await refreshFails(path);
    expect(job.error).toContain(bad);
    expect(job.error).toContain('afterIngest hook 1 on source crm-db');
  });

  describe('shell hooks', () => {
    const MASK_SHELL = [
      'psql -v ON_ERROR_STOP=1 -c "UPDATE customers SET email = md5(email) || \'@shell.invalid\'"',
      'echo "masked $BP_SOURCE_NAME of template $BP_TEMPLATE_ID"',
    ].join('\n');
    // As the container's own uid (it has no name): never root, never postgres.
    const START_SHELL = 'echo "started $BP_SOURCE_NAME as uid $(id -u) in $PGDATABASE"';
    const started = (database: string) =>
      new RegExp(`crm-db: afterStartShell: started crm-db as uid \\d+ in ${database}`);
    let templateId: string;

    it('mask a column before the snapshot: no unmasked value reaches a container; the job logs show the output', async () => {
      const { id, job } = await stack.api.operate('POST', '/templates', {
        name: 'crm-shell',
        hostId: stack.hostId,
        sources: [{ name: 'crm-db', kind: 'postgres', connectionString: source.connectionString }],
        hooks: { afterIngestShell: MASK_SHELL, afterStartShell: START_SHELL },
      });
      templateId = id!;
      const ingestLog = (await stack.api.expect<JobView>(200, 'GET', `/jobs/${job.id}`)).log;
      expect(ingestLog).toContain('crm-db: afterIngestShell: UPDATE 100');
      expect(ingestLog).toContain(`crm-db: afterIngestShell: masked crm-db of template ${id}`);

      const created = await stack.api.expect<{ jobId: string; id: string }>(
        202,
        'POST',
        '/containers',
        { name: 'shell-masked', templateId },
      );
      const createJob = await stack.api.waitForJob(created.jobId);
      expect(createJob.state).toBe('succeeded');
      const container = await getContainer(stack.api, created.id);
      const rows = await sql<{ email: string }>(container, 'SELECT email FROM customers');
      expect(rows).toHaveLength(100);
      for (const row of rows) expect(row.email).toMatch(/^[0-9a-f]{32}@shell\.invalid$/);
      expect(
        await sql(container, "SELECT 1 FROM customers WHERE email LIKE '%@real-company.com'"),
      ).toHaveLength(0);
      expect(createJob.log.join('\n')).toMatch(started(source.name));
      expect(createJob.log).toContain(`databases running on port ${container.endpoints[0]!.port}`);
      // Every job that starts the servers again runs afterStartShell and logs its output.
      const { job: reset } = await stack.api.operate(
        'POST',
        `/branches/${container.activeBranchId}/reset`,
      );
      expect(reset.log.join('\n')).toMatch(started(source.name));
      // The last line before the job's own timing lines.
      expect(reset.log.filter((line) => !line.startsWith('timing:')).at(-1)).toMatch(
        /^reset to point /,
      );
      // Job lists carry the log too.
      const listed = await stack.api.expect<JobView[]>(
        200,
        'GET',
        `/jobs?containerId=${created.id}`,
      );
      expect(listed.find((j) => j.id === created.jobId)?.log).toEqual(createJob.log);
    });

    it('a failing shell hook fails the refresh, naming the hook and exit code, with its output in the log', async () => {
      const path = `/templates/${templateId}`;
      await stack.api.expect(200, 'PATCH', path, {
        hooks: { afterIngestShell: 'echo "cannot mask: column missing" >&2\nexit 3' },
      });
      const job = await refreshFails(path);
      expect(job.error).toContain('afterIngestShell hook on source crm-db exited with code 3');
      expect(job.log).toContain('crm-db: afterIngestShell: cannot mask: column missing');
    });

    it('refuses bad shell hooks (400) and hooks from non-admins (403)', async () => {
      const path = `/templates/${templateId}`;
      for (const afterIngestShell of ['', ' \n\t', 'x'.repeat(65537), ['echo'], 42]) {
        const answer = await stack.api.patch<{ message: unknown }>(path, {
          hooks: { afterIngestShell },
        });
        expect(answer.status).toBe(400);
        expect(JSON.stringify(answer.body.message)).toContain('afterIngestShell');
      }
      const user = await stack.createUser('shell-hooks-user');
      expect((await user.api.patch(path, { hooks: { afterStartShell: 'echo hi' } })).status).toBe(
        403,
      );
      const create = await user.api.post('/templates', {
        name: 'not-allowed',
        hostId: stack.hostId,
        sources: [{ name: 'db', kind: 'postgres', connectionString: source.connectionString }],
        hooks: { afterIngestShell: 'echo hi' },
      });
      expect(create.status).toBe(403);
    });
  });
});

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT, startStack, type Stack } from '@branchpoint/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLONE_PORTS, packCliIfStale, runProgram } from './support.js';

// Anyone with a browser gets the CLI from their server (story: the CLI for everyone): the control
// plane serves the packed CLI, npm installs it globally (here below a throw-away prefix) with
// nothing else to download, and the installed `branchpoint` command talks to that server.

const USER_PASSWORD = 'install-password-123';

let stack: Stack;
let prefix: string;
/** The installed command. */
let installed: string;
let env: Record<string, string>;

beforeAll(async () => {
  packCliIfStale();
  stack = await startStack({ project: 'cli', clonePorts: CLONE_PORTS });
  await stack.api.expect(201, 'POST', '/users', {
    username: 'newcomer',
    password: USER_PASSWORD,
    role: 'user',
  });
  prefix = await mkdtemp(join(tmpdir(), 'bp-cli-install-'));
  installed = join(prefix, 'bin/branchpoint');
  env = {
    // The installed script starts with `#!/usr/bin/env node`: the node running this suite.
    PATH: [dirname(process.execPath), process.env['PATH'] ?? '/usr/bin:/bin'].join(delimiter),
    XDG_CONFIG_HOME: join(prefix, 'config'),
  };
});

afterAll(async () => {
  await stack?.stop();
  if (prefix) await rm(prefix, { recursive: true, force: true });
});

describe('the CLI served by the control plane', () => {
  const url = () => `${stack.apiUrl}/cli/branchpoint.tgz`;

  it('is served without signing in, as a gzip npm package that caches and revalidates', async () => {
    const answer = await fetch(url());
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/gzip');
    expect(answer.headers.get('cache-control')).toBe('public, max-age=300');
    expect(answer.headers.get('etag')).toBeTruthy();
    const body = Buffer.from(await answer.arrayBuffer());
    expect(body.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(body).toEqual(await readFile(join(REPO_ROOT, 'cli/dist/branchpoint.tgz')));
  });

  it('installs with npm install -g <server>/api/v1/cli/branchpoint.tgz, pulling no dependencies', async () => {
    const { stdout } = await promisify(execFile)(
      'npm',
      [
        'install',
        '-g',
        '--prefix',
        prefix,
        '--cache',
        join(prefix, 'npm-cache'),
        '--no-audit',
        '--no-fund',
        url(),
      ],
      { env: { ...process.env, ...env } },
    );
    expect(stdout).toMatch(/added 1 package/);
    const { version } = JSON.parse(await readFile(join(REPO_ROOT, 'cli/package.json'), 'utf8')) as {
      version: string;
    };
    const run = await runProgram(installed, ['--version'], env);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(version);
  });

  it('signs in to the server and lists containers with the installed command', async () => {
    const login = await runProgram(
      installed,
      ['login', '--url', stack.baseUrl, '--username', 'newcomer', '--password-stdin'],
      env,
      `${USER_PASSWORD}\n`,
    );
    expect(login.stderr).toContain('Logged in');
    expect(login.code).toBe(0);
    const list = await runProgram(installed, ['containers', 'list', '--json'], env);
    expect(list.stderr).toBe('');
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([]);
    // Without the stored token the same command is refused: the list above was signed in.
    const anonymous = await runProgram(installed, ['containers', 'list', '--json'], {
      ...env,
      XDG_CONFIG_HOME: join(prefix, 'nobody'),
      BRANCHPOINT_URL: stack.baseUrl,
    });
    expect(anonymous.code).not.toBe(0);
  });

  it('prints shell completion', async () => {
    const run = await runProgram(installed, ['completion', 'bash'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('complete -o default -F _branchpoint branchpoint');
  });
});

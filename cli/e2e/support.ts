import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { isStale, REPO_ROOT } from '@branchpoint/testing';

/** CLI e2e clone ports (57250-57499; the UI e2e suite uses 57000-57249). */
export const CLONE_PORTS = { first: 57250, last: 57499 };

export const CLI = join(REPO_ROOT, 'cli/dist/main.js');

/** Builds the CLI when dist/ is missing or older than src/ (npm test builds it anyway). */
export function buildCliIfStale(): void {
  if (isStale(CLI, join(REPO_ROOT, 'cli/src'))) {
    execFileSync(
      process.execPath,
      [
        join(REPO_ROOT, 'node_modules/typescript/bin/tsc'),
        '-p',
        join(REPO_ROOT, 'cli/tsconfig.build.json'),
      ],
      { stdio: 'inherit' },
    );
  }
}

/** Packs the installable CLI (tools/package.ts) when it is missing or older than src/. */
export function packCliIfStale(): void {
  if (isStale(join(REPO_ROOT, 'cli/dist/branchpoint.tgz'), join(REPO_ROOT, 'cli/src'))) {
    execFileSync(process.execPath, [join(REPO_ROOT, 'cli/tools/package.ts')], { stdio: 'inherit' });
  }
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment a pipeline step would have: PATH and HOME, plus what the step sets. */
export function pipelineEnv(extra: Record<string, string>): Record<string, string> {
  return { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...extra };
}

/** Runs a program to completion with `input` on stdin. */
export function runProgram(
  file: string,
  args: readonly string[],
  env: Record<string, string>,
  input = '',
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** `node cli/dist/main.js ...args`, as a pipeline step runs it. */
export function branchpoint(
  args: readonly string[],
  env: Record<string, string>,
  input = '',
): Promise<Run> {
  return runProgram(process.execPath, [CLI, ...args], env, input);
}

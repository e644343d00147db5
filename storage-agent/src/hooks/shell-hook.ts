import { spawn } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tenantEnv, type OsIdentity } from '../identity/os-identity.js';

// A chatty script must not fill the agent's memory or the job log: its last output is what
// explains a failure, so that is what is kept.
const KEEP_BYTES = 32 * 1024;
const KEEP_LINES = 200;

export interface ShellRun {
  script: string;
  env: Record<string, string>;
  /** Put before PATH (the agent's PostgreSQL binaries, so `psql` matches the server). */
  pathPrefix: string;
  timeoutMs: number;
  /** The tenant (container or template) it runs as. */
  identity: OsIdentity;
}

export interface ShellResult {
  /** Null when a signal ended it. */
  exitCode: number | null;
  timedOut: boolean;
  /** stdout and stderr as they came, the last lines only (a first line says when some were dropped). */
  output: string[];
}

/**
 * Runs an admin-defined script as `sh -e -c <script>` (an argument, never part of a command
 * line) as the tenant's OS identity, in an empty temporary directory that is removed afterwards.
 * The script's processes do not outlive it: its process group is killed when it ends or times out.
 */
export async function runShell(run: ShellRun): Promise<ShellResult> {
  const user = run.identity;
  const cwd = await mkdtemp(path.join(tmpdir(), 'bp-hook-'));
  try {
    await chown(cwd, user.uid, user.gid);
    return await new Promise<ShellResult>((resolve, reject) => {
      const child = spawn('/bin/sh', ['-e', '-c', run.script], {
        cwd,
        uid: user.uid,
        gid: user.gid,
        env: withPathPrefix(tenantEnv(user, run.env), run.pathPrefix),
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      let dropped = false;
      const take = (chunk: string) => {
        output += chunk;
        if (output.length > 2 * KEEP_BYTES) {
          output = output.slice(-KEEP_BYTES);
          dropped = true;
        }
      };
      for (const stream of [child.stdout, child.stderr]) {
        stream.setEncoding('utf8');
        stream.on('data', take);
      }
      const killGroup = () => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // the group is gone already
        }
      };
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        killGroup();
      }, run.timeoutMs);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      // Background processes left by the script would hold the pipes open: end them too.
      child.once('exit', killGroup);
      child.once('close', (code) => {
        clearTimeout(timer);
        resolve({ exitCode: code, timedOut, output: lastLines(output, dropped) });
      });
    });
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
}

function lastLines(output: string, dropped: boolean): string[] {
  const lines = output.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  // A cut in the middle of the output leaves a partial first line.
  if (dropped) lines.shift();
  const kept = lines.slice(-KEEP_LINES);
  return dropped || kept.length < lines.length ? ['… earlier output omitted', ...kept] : kept;
}

function withPathPrefix(env: Record<string, string>, prefix: string): Record<string, string> {
  return { ...env, PATH: env['PATH'] ? `${prefix}:${env['PATH']}` : prefix };
}

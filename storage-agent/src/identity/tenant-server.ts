import { spawn } from 'node:child_process';
import { chmod, mkdir, open, readFile } from 'node:fs/promises';
import { AgentFailure } from '../common/agent-failure.js';
import path from 'node:path';
import { tenantEnv, type OsIdentity } from './os-identity.js';

/**
 * Starts a clone's database server as its tenant, our direct child in a session of its own so
 * that it outlives the agent. Its output goes to `logFile`, root's file written through the
 * descriptor the server inherits: its owner cannot read other tenants' logs, nor rewrite its
 * own. Answers a check of whether the server has exited since.
 */
export async function spawnTenantServer(
  command: string,
  args: string[],
  identity: OsIdentity,
  options: { cwd: string; logFile: string },
): Promise<() => Promise<boolean>> {
  await mkdir(path.dirname(options.logFile), { recursive: true, mode: 0o700 });
  await chmod(path.dirname(options.logFile), 0o700);
  const log = await open(options.logFile, 'a', 0o600);
  let exited: number | null = null;
  try {
    await log.chmod(0o600);
    const child = spawn(command, args, {
      uid: identity.uid,
      gid: identity.gid,
      cwd: options.cwd,
      detached: true,
      stdio: ['ignore', log.fd, log.fd],
      env: tenantEnv(identity),
    });
    child.on('exit', (code) => (exited = code ?? -1));
    child.on('error', () => (exited = -1));
    child.unref();
  } finally {
    await log.close();
  }
  return async () => exited !== null;
}

/** A server that did not come up, with the last lines of its log as the reason. */
export async function serverDidNotStart(what: string, logFile: string): Promise<AgentFailure> {
  const tail = (await readFile(logFile, 'utf8').catch(() => ''))
    .trim()
    .split('\n')
    .slice(-5)
    .join(' | ');
  return new AgentFailure(500, 'instance-failed', `${what} did not start: ${tail}`);
}

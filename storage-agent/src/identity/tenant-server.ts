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

/**
 * Waits until a server found running is ready (an agent killed mid-start left it starting), or
 * launches one. A found server that exits meanwhile was failing — a crash recovery that met a
 * full pool gives up only seconds later — so it is launched afresh, once, rather than reported.
 * Answers whether this call launched the server.
 */
export async function serveTenantServer(server: {
  running: () => Promise<boolean>;
  launch: () => Promise<() => Promise<boolean>>;
  waitUntilReady: (gone: () => Promise<boolean>) => Promise<void>;
}): Promise<boolean> {
  if (await server.running()) {
    try {
      await server.waitUntilReady(async () => !(await server.running()));
      return false;
    } catch (error) {
      if (await server.running()) throw error;
    }
  }
  await server.waitUntilReady(await server.launch());
  return true;
}

/**
 * Lines a server logs while it starts that only answer our readiness probes; they would push
 * the reason it failed out of the tail.
 */
const PROBE_ANSWERS = /the database system is (starting up|in recovery mode|shutting down)/;

/** A server that did not come up, with the last lines of its log as the reason. */
export async function serverDidNotStart(what: string, logFile: string): Promise<AgentFailure> {
  const tail = (await readFile(logFile, 'utf8').catch(() => ''))
    .trim()
    .split('\n')
    .filter((line) => !PROBE_ANSWERS.test(line))
    .slice(-5)
    .join(' | ');
  return new AgentFailure(500, 'instance-failed', `${what} did not start: ${tail}`);
}

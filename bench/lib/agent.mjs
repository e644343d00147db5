// The real storage agent (storage-agent/dist), started for the bench on a dataset of its own.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, fetch as agentFetch } from 'undici';
import { sleep } from './timing.mjs';

const TOKEN = 'dev-agent-token';

/** Starts the agent; answers { call(method, path, body), stop() }. */
export async function startAgent({ repo, root, runDir, port, clonePorts, log }) {
  const child = spawn(process.execPath, [join(repo, 'storage-agent/dist/main.js')], {
    env: {
      ...process.env,
      BP_AGENT_HOST: '127.0.0.1',
      BP_AGENT_PORT: String(port),
      BP_AGENT_DEV: '1',
      BP_AGENT_TOKEN: undefined,
      BP_ZFS_ROOT: root,
      BP_CLONE_PORTS: clonePorts,
      BP_AGENT_RUN_DIR: runDir,
      // BP_AGENT_STEP_LOG=1 npm run bench: every call's per-step durations on the agent's stderr.
      BP_AGENT_STEP_LOG: process.env.BP_AGENT_STEP_LOG ?? '',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `https://127.0.0.1:${port}`;
  const cert = join(runDir, 'tls', 'agent.crt');
  let dispatcher;
  const raw = (path, init = {}) => {
    // Fifty calls at once on a loaded host: connecting and answering may take long.
    dispatcher ??= new Agent({
      connect: { ca: readFileSync(cert, 'utf8'), timeout: 300_000 },
      connections: 64,
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    return agentFetch(`${url}${path}`, { ...init, dispatcher });
  };
  const call = async (method, path, body) => {
    const response = await raw(path, {
      method,
      headers: {
        authorization: `Bearer ${TOKEN}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`agent ${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const stop = () =>
    new Promise((done) => {
      if (child.exitCode !== null) return done();
      child.once('exit', done);
      child.kill('SIGTERM');
    });
  for (let i = 0; i < 1200; i++) {
    if (child.exitCode !== null) throw new Error(`the storage agent exited (${child.exitCode})`);
    if (
      existsSync(cert) &&
      (await raw('/v1/health').then(
        (r) => r.ok,
        () => false,
      ))
    ) {
      log('storage agent up');
      return { call, stop };
    }
    await sleep(50);
  }
  await stop();
  throw new Error('the storage agent did not start');
}

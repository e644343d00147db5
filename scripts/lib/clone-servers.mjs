// Stops the clone PostgreSQL servers of the local storage agent before npm start shuts the
// agent down (the agent leaves them running on purpose, so an agent restart does not cut
// off anyone's database), and starts the same containers' servers again on the next run.
// Goes through the agent's HTTPS API only; run it with NODE_EXTRA_CA_CERTS set to the agent's
// certificate (self-signed), as services.sh does, so fetch trusts the agent.
// Usage: node clone-servers.mjs stop|start <state-file>
// Environment: BP_AGENT_URL, BP_AGENT_TOKEN, NODE_EXTRA_CA_CERTS.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

const [action, stateFile] = process.argv.slice(2);
const base = process.env.BP_AGENT_URL;
const token = process.env.BP_AGENT_TOKEN;

async function agent(method, path) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(120_000),
  });
  if (!response.ok)
    throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/** Runs `work` on every item, eight at a time. */
async function inBatches(items, work) {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

async function stop() {
  const { instances } = await agent('GET', '/v1/inventory');
  const running = [
    ...new Set(
      instances.filter((instance) => instance.running).map((instance) => instance.containerId),
    ),
  ];
  writeFileSync(stateFile, `${JSON.stringify(running)}\n`);
  // Several at once, so that stopping stays within seconds however many containers run.
  await inBatches(running, (containerId) =>
    agent('POST', `/v1/containers/${encodeURIComponent(containerId)}/stop`),
  );
  if (running.length > 0)
    console.log(`branchpoint: stopped the databases of ${running.length} container(s)`);
}

async function start() {
  let containers;
  try {
    containers = JSON.parse(readFileSync(stateFile, 'utf8'));
  } catch {
    return;
  }
  await inBatches(containers, async (containerId) => {
    try {
      await agent('POST', `/v1/containers/${encodeURIComponent(containerId)}/start`);
    } catch (error) {
      console.error(`branchpoint: could not start container ${containerId}: ${error.message}`);
    }
  });
  if (containers.length > 0)
    console.log(`branchpoint: started the databases of ${containers.length} container(s) again`);
  rmSync(stateFile, { force: true });
}

if (!base || !token || !stateFile || !['stop', 'start'].includes(action)) {
  console.error(
    'usage: BP_AGENT_URL=… BP_AGENT_TOKEN=… node clone-servers.mjs stop|start <state-file>',
  );
  process.exit(2);
}
await (action === 'stop' ? stop() : start()).catch((error) => {
  console.error(`branchpoint: clone servers: ${error.message}`);
  process.exitCode = 1;
});

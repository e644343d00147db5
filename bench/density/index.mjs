// Fifty running containers on one host (--quick: ten): the time to start them all at once,
// their servers' memory (PSS, so shared pages count once), and the p95 latency of point
// queries spread over all of them.
import { readFileSync, readdirSync } from 'node:fs';
import { ownerClient } from '../lib/clients.mjs';
import { percentile, seconds } from '../lib/timing.mjs';

const SCALE = 5;
const QUERIES_PER_CONTAINER = 20;

/** Pids of the postmasters and all their descendants. */
function serverProcesses(postmasters) {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // The parent pid is the 2nd field after the command in parentheses.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // gone meanwhile
    }
  }
  const all = [];
  const queue = [...postmasters];
  while (queue.length > 0) {
    const pid = queue.shift();
    all.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return all;
}

function pssBytes(pids) {
  let kb = 0;
  for (const pid of pids) {
    try {
      const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      kb += Number(match?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return kb * 1024;
}

export default {
  async run(context) {
    const count = context.quick ? 10 : 50;
    const { call } = await context.agent();
    const ids = Array.from({ length: count }, (_, index) => `d${index + 1}`);
    for (const id of ids) await context.container(id, SCALE, { start: false });
    const statuses = [];
    const startAll = await seconds(async () =>
      statuses.push(
        ...(await Promise.all(ids.map((id) => call('POST', `/v1/containers/${id}/start`)))),
      ),
    );
    const inventory = await call('GET', '/v1/inventory');
    const postmasters = (inventory.instances ?? [])
      .filter((instance) => ids.includes(instance.containerId) && instance.pid)
      .map((instance) => instance.pid);
    if (postmasters.length !== count)
      throw new Error(
        `expected ${count} running servers, the inventory shows ${postmasters.length}`,
      );
    const clients = await Promise.all(
      statuses.map((status) => ownerClient(context, status.endpoints[0])),
    );
    const latencies = [];
    let memory;
    try {
      for (let round = 0; round < QUERIES_PER_CONTAINER; round++)
        for (const client of clients) {
          const aid = 1 + Math.floor(Math.random() * SCALE * 100000);
          latencies.push(
            await seconds(() =>
              client.query('SELECT abalance FROM pgbench_accounts WHERE aid = $1', [aid]),
            ),
          );
        }
      memory = pssBytes(serverProcesses(postmasters));
    } finally {
      await Promise.all(clients.map((client) => client.end()));
    }
    await context.stopContainers(ids);
    context.log(
      `density: ${count} started in ${startAll.toFixed(2)} s, PSS ${memory} B, p95 ${(percentile(latencies, 95) * 1000).toFixed(2)} ms`,
    );
    return [
      { figure: `${count} containers: start all at once`, value: startAll, unit: 's' },
      {
        figure: `${count} containers: memory of their servers (PSS)`,
        value: memory,
        unit: 'B',
        target: '≪ 24 GB',
      },
      {
        figure: `${count} containers: p95 point query`,
        value: percentile(latencies, 95) * 1000,
        unit: 'ms',
      },
    ];
  },
};

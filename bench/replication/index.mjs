// Templates on several hosts: a version sent from one agent to another with zfs send | receive,
// streamed agent to agent over HTTPS with a one-time grant (issue 13), beside the machine's floor
// (`zfs send | zfs receive` through a local pipe, same data) and the dataset's size.
import { X509Certificate, createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { startAgent } from '../lib/agent.mjs';
import { destroyDataset, log, repo, zfsNumber } from '../lib/context.mjs';
import { run } from '../lib/postgres.mjs';
import { seconds, sleep } from '../lib/timing.mjs';

const scalesOf = (quick) =>
  (process.env.BENCH_SCALES_REPLICATION ?? (quick ? '5' : '40')).split(',').map(Number);

/** A second agent, the receiving host, on a root dataset of its own. */
async function startPeer(context) {
  const root = `${context.root}-peer`;
  await run('zfs', ['create', root]);
  context.onCleanup(() => destroyDataset(root));
  const runDir = join(context.work, 'agent-peer');
  const port = context.plainPort();
  const peer = await startAgent({
    repo,
    root,
    runDir,
    port,
    clonePorts: '57980-57999',
    log,
  });
  context.onCleanup(() => peer.stop());
  const cert = new X509Certificate(readFileSync(join(runDir, 'tls', 'agent.crt'), 'utf8'));
  return { ...peer, root, url: `https://127.0.0.1:${port}`, fingerprint: cert.fingerprint256 };
}

/** Sends template `t<scale>` (from `from`, or whole) from the bench's agent to the peer; answers bytes. */
async function send(origin, peer, subject) {
  const transferId = randomUUID();
  const grant = randomBytes(32).toString('base64url');
  await peer.call('PUT', `/v1/transfers/${transferId}`, {
    subject,
    grantSha256: createHash('sha256').update(grant).digest('hex'),
    validForMs: 120_000,
  });
  let status = await origin.call('POST', `/v1/transfers/${transferId}/send`, {
    subject,
    grant,
    receiver: { url: peer.url, fingerprint: peer.fingerprint },
  });
  while (status.state === 'sending') {
    await sleep(200);
    status = await origin.call('GET', `/v1/transfers/${transferId}`);
  }
  if (status.state !== 'done') throw new Error(`transfer failed: ${status.error}`);
  return status.bytes;
}

export default {
  async run(context) {
    const rows = [];
    const origin = await context.agent();
    const peer = await startPeer(context);
    for (const scale of scalesOf(context.quick)) {
      const { templateId } = await context.template(scale);
      const dataset = `${context.root}/templates/${templateId}`;
      const size = await zfsNumber(dataset, 'used');
      log(`scale ${scale}: whole send of v1 to the second agent`);
      const subject = { kind: 'template', templateId, from: null, to: 'v1' };
      let bytes = 0;
      const took = await seconds(async () => {
        bytes = await send(origin, peer, subject);
      });
      // Floor: the same stream through a local pipe, no TLS, no HTTP.
      const floorTarget = `${context.root}-floor`;
      const floor = await seconds(() =>
        run('sh', ['-c', `zfs send -R "$0@v1" | zfs receive "$1"`, dataset, floorTarget]),
      );
      await destroyDataset(floorTarget);
      rows.push(
        {
          figure: `template to a second host, whole (scale ${scale})`,
          value: took,
          unit: 's',
          floor,
          floorIs: 'zfs send -R | zfs receive, local pipe',
          target: '≤ 2× floor',
        },
        {
          figure: `bytes sent vs dataset used (scale ${scale})`,
          value: bytes,
          unit: 'B',
          floor: size,
          floorIs: 'used of the template dataset (lz4 on disk; the stream is not compressed)',
          target: '≈ compression ratio',
        },
      );
    }
    return rows;
  },
};

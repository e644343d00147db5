// Templates on several hosts: a version sent from one agent to another with zfs send | receive,
// streamed agent to agent over HTTPS with a one-time grant (issue 13), beside the machine's floor
// (`zfs send | zfs receive` through a local pipe, same data) and the dataset's size.
import { X509Certificate, createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { URLSearchParams } from 'node:url';
import { startAgent } from '../lib/agent.mjs';
import { destroyDataset, log, repo, zfsNumber } from '../lib/context.mjs';
import { run } from '../lib/postgres.mjs';
import { seconds } from '../lib/timing.mjs';
import { ownerQuery } from '../lib/clients.mjs';

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
  // A long poll: the sending agent answers as soon as the transfer has ended.
  while (status.state === 'sending')
    status = await origin.call('GET', `/v1/transfers/${transferId}?waitMs=10000`);
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
          floorIs:
            'used of the template dataset (compressed on disk; the stream is not compressed)',
          target: '≈ compression ratio',
        },
      );
      rows.push(...(await crossHostBranch(context, origin, peer, { scale, templateId })));
      rows.push(...(await containerMove(context, origin, peer, { scale })));
    }
    return rows;
  },
};

/**
 * Bookmarks travel (issue 13 point 3), as create-branch.job does it across hosts: the point's
 * source sent incrementally from the template version the peer holds, then the clone and its
 * first point, the activation and a first query there. Floor: the same increment through a
 * local pipe. The point follows an update of the first tenth of the accounts.
 */
async function crossHostBranch(context, origin, peer, { scale, templateId }) {
  const containerId = `xh${scale}`;
  const status = await context.container(containerId, scale);
  await ownerQuery(
    context,
    status.endpoints[0],
    'UPDATE pgbench_accounts SET abalance = abalance + 1 WHERE aid <= (SELECT count(*) / 10 FROM pgbench_accounts)',
  );
  const point = { containerId, branchId: 'main', pointId: 'bm' };
  await origin.call('PUT', `/v1/containers/${containerId}/branches/main/points/bm`, {
    holdTag: 'bench',
  });
  context.onCleanup(() =>
    origin.call('DELETE', `/v1/holds/bench?${new URLSearchParams(point)}`).catch(() => {}),
  );
  const pointDataset = `${context.root}/containers/${containerId}/main`;
  const used = await zfsNumber(pointDataset, 'used');
  const copy = `${containerId}-copy`;
  await peer.call('PUT', `/v1/containers/${copy}`, {
    sources: [{ id: 'db', kind: 'postgres' }],
    password: context.password,
  });
  context.onCleanup(() => peer.call('DELETE', `/v1/containers/${copy}`).catch(() => {}));
  let bytes = 0;
  let sent = 0;
  const took = await seconds(async () => {
    sent = await seconds(async () => {
      bytes = await send(origin, peer, {
        kind: 'point',
        templateId,
        version: 'v1',
        ...point,
        sourceId: 'db',
      });
    });
    await peer.call('PUT', `/v1/containers/${copy}/branches/main`, {
      origin: { kind: 'point', ...point },
      firstPointId: 'first',
    });
    const active = await peer.call('PUT', `/v1/containers/${copy}/active`, { branchId: 'main' });
    await ownerQuery(context, active.endpoints[0], 'SELECT count(*) FROM pgbench_branches');
  });
  await peer.call('POST', `/v1/containers/${copy}/stop`);
  await context.stopContainers([containerId]);
  // Floor: the template version received whole (untimed), then the point's increment over it.
  const pointSnapshot = (
    await run('zfs', ['list', '-H', '-r', '-t', 'snapshot', '-o', 'name', pointDataset])
  ).stdout
    .split('\n')
    .find((name) => name.endsWith('/db@bm'));
  const versionSnapshot = (
    await run('zfs', ['get', '-H', '-o', 'value', 'origin', pointSnapshot.split('@')[0]])
  ).stdout.trim();
  // Received as the agent does: a new clone of the version, found by its GUID under one parent.
  const floorParent = `${context.root}-pointfloor`;
  await run('zfs', ['create', floorParent]);
  context.onCleanup(() => destroyDataset(floorParent));
  await run('sh', [
    '-c',
    'zfs send "$0" | zfs receive "$1"',
    versionSnapshot,
    `${floorParent}/version`,
  ]);
  const floor = await seconds(() =>
    run('sh', [
      '-c',
      'zfs send -i "$0" "$1" | zfs receive "$2"',
      versionSnapshot,
      pointSnapshot,
      `${floorParent}/point`,
    ]),
  );
  log(
    `scale ${scale}: cross-host branch ${took.toFixed(2)} s (send ${sent.toFixed(2)} s, ${bytes} bytes)`,
  );
  return [
    {
      figure: `branch on a second host from a bookmark, active, first query (scale ${scale})`,
      value: took,
      unit: 's',
      floor,
      floorIs: 'zfs send -i (template version → point) | zfs receive, local pipe',
      target: '< full copy',
    },
    {
      figure: `bookmark to a second host: bytes sent vs its branch's used (scale ${scale}, a tenth of the rows updated)`,
      value: bytes,
      unit: 'B',
      floor: used,
      floorIs: 'used of the bookmarked branch (what it adds over the template)',
      target: '≈ the increment',
    },
  ];
}

/**
 * A container moved to a second host (issue 13 point 4), as move-container.job does it: its
 * whole tree sent while it runs (incrementally from the template version the peer holds), then
 * its server stopped, the increment since sent, the tree made the peer's own and started, and a
 * first query there. Downtime is from the stop to that query; its floor, the increment through a
 * local pipe. Between the copy and the stop a tenth of the accounts is updated again.
 */
async function containerMove(context, origin, peer, { scale }) {
  const containerId = `xm${scale}`;
  const status = await context.container(containerId, scale);
  const tenth =
    'UPDATE pgbench_accounts SET abalance = abalance + 1 WHERE aid <= (SELECT count(*) / 10 FROM pgbench_accounts)';
  await ownerQuery(context, status.endpoints[0], tenth);
  await origin.call('PUT', `/v1/containers/${containerId}/branches/main/points/bm`, {
    holdTag: 'bench',
  });
  const point = { containerId, branchId: 'main', pointId: 'bm' };
  const tree = `${context.root}/containers/${containerId}`;
  const used = await zfsNumber(tree, 'used');
  context.onCleanup(() => peer.call('DELETE', `/v1/containers/${containerId}`).catch(() => {}));
  // Both copies hold the bookmark's point: released before they go (cleanups run last first).
  for (const agent of [origin, peer])
    context.onCleanup(() =>
      agent.call('DELETE', `/v1/holds/bench?${new URLSearchParams(point)}`).catch(() => {}),
    );
  const subject = { kind: 'container', containerId };
  let copyBytes = 0;
  let incrementBytes = 0;
  const copy = await seconds(async () => {
    copyBytes = await send(origin, peer, { ...subject, from: null, to: 'mc' });
  });
  // Clients keep writing while it is copied (not timed: the move does not wait for them).
  await ownerQuery(context, status.endpoints[0], tenth);
  const downtime = await seconds(async () => {
    await origin.call('POST', `/v1/containers/${containerId}/stop`);
    incrementBytes = await send(origin, peer, { ...subject, from: 'mc', to: 'mf' });
    await peer.call('PUT', `/v1/containers/${containerId}/moved-in`, { snapshots: ['mc', 'mf'] });
    const started = await peer.call('POST', `/v1/containers/${containerId}/start`);
    await ownerQuery(context, started.endpoints[0], 'SELECT count(*) FROM pgbench_branches');
  });
  const took = copy + downtime;
  await peer.call('POST', `/v1/containers/${containerId}/stop`);
  // Floor: the same increment through a local pipe, into a copy of the tree at `mc` (untimed).
  const floorTree = `${context.root}-movefloor`;
  await run('sh', ['-c', 'zfs send -R "$0@mc" | zfs receive "$1"', tree, floorTree]);
  context.onCleanup(() => destroyDataset(floorTree));
  const floor = await seconds(() =>
    run('sh', ['-c', 'zfs send -R -I mc "$0@mf" | zfs receive -F "$1"', tree, floorTree]),
  );
  log(
    `scale ${scale}: move ${took.toFixed(2)} s, downtime ${downtime.toFixed(2)} s (copy ${copyBytes} B, increment ${incrementBytes} B)`,
  );
  return [
    {
      figure: `container moved to a second host, whole move (scale ${scale})`,
      value: took,
      unit: 's',
      floorIs: 'the copy while it runs, plus the downtime below',
      target: '< full copy',
    },
    {
      figure: `downtime of that move: stop, increment, start, first query (scale ${scale})`,
      value: downtime,
      unit: 's',
      floor,
      floorIs: 'zfs send -R -I (copy → final) | zfs receive -F, local pipe (no stop or start)',
      target: 'increment + a start',
    },
    {
      figure: `bytes sent for the move vs the container's used (scale ${scale})`,
      value: copyBytes + incrementBytes,
      unit: 'B',
      floor: used,
      floorIs: "used of the container's tree (what it adds over the template)",
      target: '≈ used + the increment',
    },
  ];
}

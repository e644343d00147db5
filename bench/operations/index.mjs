// Latency of each operation at the storage agent, made of the agent calls the control plane's
// job makes for it, until a client's first query answers; beside its floor, the same steps done
// directly (CHECKPOINT, zfs snapshot/clone/rollback, fast stop + start + first query) on a
// clone of the same data. Medians of BENCH_RUNS (3; --quick: 1).
import process from 'node:process';
import { URLSearchParams } from 'node:url';
import { ownerQuery } from '../lib/clients.mjs';
import { floorServer, measureFloors } from '../lib/floor.mjs';
import { median, seconds } from '../lib/timing.mjs';

const SCALE = 5;

// Some changed rows before every timed step, so checkpoints and snapshots have work to do.
const WRITE = 'UPDATE pgbench_accounts SET abalance = abalance + 1 WHERE aid % 500 = 0';
const FLOOR_WRITE = WRITE;

export default {
  async run(context) {
    const runs = Number(process.env.BENCH_RUNS ?? (context.quick ? 1 : 3));
    const template = await context.template(SCALE);
    const { call } = await context.agent();
    const containerId = 'ops';
    let status = await context.container(containerId, SCALE);
    const c = `/v1/containers/${containerId}`;
    let active = 'main';
    let n = 0;
    const id = (prefix) => `${prefix}${++n}`;
    const write = () => ownerQuery(context, status.endpoints[0], WRITE);
    const firstQuery = () => ownerQuery(context, status.endpoints[0], 'SELECT 1');
    const point = (pointId) => call('PUT', `${c}/branches/${active}/points/${pointId}`);
    let lastBefore = null;
    let lastPoint = null;
    // Restore, reset and undo as replace-data jobs do them (timeline.service replaceData): a
    // point before, then one restore call that also takes the point after, before the servers
    // start again.
    const replaceData = async (from) => {
      const before = id('p');
      await point(before);
      lastPoint = id('p');
      await call('PUT', `${c}/branches/${active}/generations/${id('g')}`, {
        ...from,
        afterPointId: lastPoint,
      });
      await firstQuery();
      return before;
    };

    // Each operation as its job calls the agent (backend/src/*/jobs, timeline.service).
    const operations = {
      // One call: the point and its hold (create-bookmark.job).
      bookmark: async () => {
        const pointId = id('p');
        const tag = id('bm');
        await call('PUT', `${c}/branches/${active}/points/${pointId}`, { holdTag: tag });
        const hold = { containerId, branchId: active, pointId };
        // Released before the container goes (a held point refuses its deletion).
        context.onCleanup(() => call('DELETE', `/v1/holds/${tag}?${new URLSearchParams(hold)}`));
        return hold;
      },
      branch: async (from) => {
        const branchId = id('b');
        // One call: the clone and its first point (create-branch.job).
        await call('PUT', `${c}/branches/${branchId}`, {
          origin: { kind: 'point', ...from },
          firstPointId: id('p'),
        });
        return branchId;
      },
      activate: async (branchId) => {
        status = await call('PUT', `${c}/active`, { branchId });
        active = branchId;
        await firstQuery();
      },
      restore: async (from) => {
        lastBefore = await replaceData({ fromPointId: from.pointId, fromBranchId: from.branchId });
      },
      // reset-branch.job: a restore of the branch's last point.
      reset: async () => {
        await replaceData({ fromPointId: lastPoint });
      },
      undo: async () => {
        await replaceData({ fromPointId: lastBefore });
      },
    };
    const times = Object.fromEntries(Object.keys(operations).map((name) => [name, []]));
    const floors = [];
    const floor = await floorServer(context, template, context.plainPort());
    await floor.start();
    for (let attempt = 1; attempt <= runs; attempt++) {
      floors.push(await measureFloors(context, floor, (server) => server.query(FLOOR_WRITE)));
      let bookmark;
      let branchId;
      await write();
      times.bookmark.push(await seconds(async () => (bookmark = await operations.bookmark())));
      times.branch.push(await seconds(async () => (branchId = await operations.branch(bookmark))));
      await write();
      times.activate.push(await seconds(() => operations.activate(branchId)));
      await write();
      times.restore.push(await seconds(() => operations.restore(bookmark)));
      await write();
      times.reset.push(await seconds(() => operations.reset()));
      await write();
      times.undo.push(await seconds(() => operations.undo()));
      context.log(
        `operations run ${attempt}: ` +
          Object.entries(times)
            .map(([name, values]) => `${name} ${values.at(-1).toFixed(3)} s`)
            .join(', '),
      );
    }
    const f = Object.fromEntries(
      Object.keys(floors[0]).map((step) => [step, median(floors.map((one) => one[step]))]),
    );
    context.log(
      `floors: ${Object.entries(f)
        .map(([k, v]) => `${k} ${(v * 1000).toFixed(0)} ms`)
        .join(', ')}`,
    );
    const row = (figure, floorValue, floorIs) => ({
      figure,
      value: median(times[figure]),
      unit: 's',
      floor: floorValue,
      floorIs,
      target: '≤ 2× floor',
    });
    return [
      row('bookmark', f.checkpoint + f.snapshot, 'CHECKPOINT + zfs snapshot'),
      row('branch', f.clone + f.snapshot, 'zfs clone + zfs snapshot'),
      {
        // The same branch beside the least its layout writes: no target, the reason for a miss.
        figure: '  the same, beside the writes of its layout',
        value: median(times.branch),
        unit: 's',
        floor: 2 * f.filesystem + f.clone + f.snapshot + f.property,
        floorIs:
          'zfs create ×2 + clone + snapshot + set (branch, generation, data, first point, mark)',
      },
      row('activate', f.restart, 'fast stop + start + first query'),
      row(
        'restore',
        f.checkpoint + f.snapshot + f.clone + f.restart,
        'CHECKPOINT + snapshot + clone + stop/start',
      ),
      row(
        'reset',
        f.checkpoint + f.snapshot + f.clone + f.restart,
        'CHECKPOINT + snapshot + clone + stop/start',
      ),
      row(
        'undo',
        f.checkpoint + f.snapshot + f.clone + f.restart,
        'CHECKPOINT + snapshot + clone + stop/start',
      ),
    ];
  },
};

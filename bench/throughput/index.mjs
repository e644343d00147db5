// Twenty bookmarks on twenty containers, one after another and then all at once (--quick:
// five). Each container's operations stay serialized; different containers should overlap.
// The floor: the same bookmarks' zfs commands (`snapshot -r` + `hold` of each container's
// current generation) run directly, one after another and at once, for what this machine's ZFS
// itself gains from running them side by side. Medians of BENCH_RUNS rounds (3; --quick: 1):
// one round's speed-up moves by a third from run to run on zfs-fuse.
import { URLSearchParams } from 'node:url';
import { currentGeneration } from '../lib/context.mjs';
import { run } from '../lib/postgres.mjs';
import { median, seconds } from '../lib/timing.mjs';

const SCALE = 5;

export default {
  async run(context) {
    const count = context.quick ? 5 : 20;
    const runs = Number(process.env.BENCH_RUNS ?? (context.quick ? 1 : 3));
    const { call } = await context.agent();
    const ids = Array.from({ length: count }, (_, index) => `tp${index + 1}`);
    await Promise.all(ids.map((id) => context.container(id, SCALE)));
    // A bookmark as its job makes it: a point held in the same call.
    const bookmark = async (id, pointId) => {
      const hold = { containerId: id, branchId: 'main', pointId };
      await call('PUT', `/v1/containers/${id}/branches/main/points/${pointId}`, {
        holdTag: `h-${pointId}`,
      });
      context.onCleanup(() =>
        call('DELETE', `/v1/holds/h-${pointId}?${new URLSearchParams(hold)}`),
      );
    };
    const generations = await Promise.all(ids.map((id) => currentGeneration(context.root, id)));
    // Released before the containers go (cleanups run last first).
    const floorBookmark = async (generation, name) => {
      await run('zfs', ['snapshot', '-r', `${generation}@${name}`]);
      await run('zfs', ['hold', '-r', 'floor', `${generation}@${name}`]);
      context.onCleanup(() => run('zfs', ['release', '-r', 'floor', `${generation}@${name}`]));
    };
    const rounds = [];
    for (let round = 1; round <= runs; round++) {
      const serial = await seconds(async () => {
        for (const id of ids) await bookmark(id, `s${round}`);
      });
      const parallel = await seconds(() => Promise.all(ids.map((id) => bookmark(id, `a${round}`))));
      const floorSerial = await seconds(async () => {
        for (const generation of generations) await floorBookmark(generation, `floor-s${round}`);
      });
      const floorParallel = await seconds(() =>
        Promise.all(generations.map((generation) => floorBookmark(generation, `floor-a${round}`))),
      );
      context.log(
        `throughput round ${round}: ${count} bookmarks one after another ${serial.toFixed(2)} s, at once ${parallel.toFixed(2)} s; ` +
          `their zfs commands alone ${floorSerial.toFixed(2)} s and ${floorParallel.toFixed(2)} s`,
      );
      rounds.push({
        serial,
        parallel,
        speedUp: serial / parallel,
        floor: floorSerial / floorParallel,
      });
    }
    await context.stopContainers(ids);
    const middle = (key) => median(rounds.map((one) => one[key]));
    return [
      {
        figure: `${count} bookmarks, ${count} containers, one after another`,
        value: middle('serial'),
        unit: 's',
      },
      {
        figure: `${count} bookmarks, ${count} containers, at once`,
        value: middle('parallel'),
        unit: 's',
      },
      {
        figure: '  speed-up at once',
        // Each round's own ratio (its two halves ran seconds apart), then the median.
        value: middle('speedUp'),
        unit: 'x',
        // The ratio column then reads: the share of the ZFS's own speed-up the product gets.
        floor: middle('floor'),
        floorIs: 'the same zfs snapshot -r + hold, directly',
        target: '≥ 3x',
      },
    ];
  },
};

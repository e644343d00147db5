// Twenty bookmarks on twenty containers, one after another and then all at once (--quick:
// five). Each container's operations stay serialized; different containers should overlap.
import { URLSearchParams } from 'node:url';
import { seconds } from '../lib/timing.mjs';

const SCALE = 5;

export default {
  async run(context) {
    const count = context.quick ? 5 : 20;
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
    const serial = await seconds(async () => {
      for (const id of ids) await bookmark(id, 's1');
    });
    const parallel = await seconds(() => Promise.all(ids.map((id) => bookmark(id, 'a1'))));
    await context.stopContainers(ids);
    context.log(
      `throughput: ${count} bookmarks one after another ${serial.toFixed(2)} s, at once ${parallel.toFixed(2)} s`,
    );
    return [
      {
        figure: `${count} bookmarks, ${count} containers, one after another`,
        value: serial,
        unit: 's',
      },
      { figure: `${count} bookmarks, ${count} containers, at once`, value: parallel, unit: 's' },
      { figure: '  speed-up at once', value: serial / parallel, unit: 'x', target: '≥ 3x' },
    ];
  },
};

// Pool space (`zfs get -H -p used`): a fresh container and a fresh branch, each started, where a
// fresh container's space goes, and twenty containers of one template against one copy of it
// (--quick: five), at pgbench scale 5 and, in a full run, 40 (BENCH_SCALES_SPACE).
import process from 'node:process';
import { currentGeneration, zfsNumber } from '../lib/context.mjs';

const scalesOf = (quick) =>
  (process.env.BENCH_SCALES_SPACE ?? (quick ? '5' : '5,40')).split(',').map(Number);

export default {
  async run(context) {
    const count = context.quick ? 5 : 20;
    const [first, ...more] = scalesOf(context.quick);
    const rows = await fresh(context, first);
    for (const scale of [first, ...more]) rows.push(...(await manyOf(context, scale, count)));
    return rows;
  },
};

/** A fresh container (created, then started) and a fresh branch (activated), at one scale. */
async function fresh(context, scale) {
  const { call } = await context.agent();
  const id = `fresh${scale}`;
  const container = `${context.root}/containers/${id}`;
  await context.container(id, scale, { start: false });
  const generation = await currentGeneration(context.root, id);
  // The three filesystems above the data (container, branch, generation) cost what ZFS keeps
  // for any filesystem; the data's clone costs what the container's own uid rewrote (chown).
  const levels = await Promise.all(
    [container, `${container}/main`, generation].map((name) => zfsNumber(name, 'usedbydataset')),
  );
  const created = await zfsNumber(container, 'used');
  await call('PUT', `/v1/containers/${id}/active`, { branchId: 'main' });
  // Right after it started (a running server writes a little more as it goes).
  const started = await zfsNumber(container, 'used');
  await call('PUT', `/v1/containers/${id}/branches/main/points/p1`);
  await call('PUT', `/v1/containers/${id}/branches/b1`, {
    origin: { kind: 'point', containerId: id, branchId: 'main', pointId: 'p1' },
    firstPointId: 'b1-first',
  });
  await call('PUT', `/v1/containers/${id}/active`, { branchId: 'b1' });
  const branch = await zfsNumber(`${container}/b1`, 'used');
  await context.stopContainers([id]);
  const filesystems = levels.reduce((sum, one) => sum + one, 0);
  context.log(
    `space: fresh container ${started} B (filesystems ${levels.join(' + ')} B, data's clone ` +
      `${created - filesystems} B before the start, ${started - created} B by the start), branch ${branch} B`,
  );
  return [
    { figure: 'fresh container, started: used', value: started, unit: 'B', target: '< 1 MB' },
    {
      figure: '  of it: container, branch and generation filesystems',
      value: filesystems,
      unit: 'B',
    },
    {
      figure: "  of it: the data's clone, owned by the container's uid",
      value: created - filesystems,
      unit: 'B',
    },
    { figure: '  of it: the first start', value: started - created, unit: 'B' },
    { figure: 'fresh branch, activated: used', value: branch, unit: 'B', target: '< 1 MB' },
  ];
}

/** `count` containers of the scale's template, started, against one copy of it. */
async function manyOf(context, scale, count) {
  const { templateId } = await context.template(scale);
  const ids = Array.from({ length: count }, (_, index) => `space${scale}-${index + 1}`);
  for (const id of ids) await context.container(id, scale);
  const template = await zfsNumber(`${context.root}/templates/${templateId}`, 'used');
  let containers = 0;
  for (const id of ids) containers += await zfsNumber(`${context.root}/containers/${id}`, 'used');
  await context.stopContainers(ids);
  context.log(`space, scale ${scale}: template ${template} B, ${count} containers ${containers} B`);
  return [
    {
      figure: `template + ${count} containers ÷ template (used), scale ${scale}`,
      value: (template + containers) / template,
      unit: 'x',
      baseline: count + 1,
      target: '< 1.3x',
    },
    { figure: `template (one copy, scale ${scale}): used`, value: template, unit: 'B' },
  ];
}

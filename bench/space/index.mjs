// Pool space (`zfs get -H -p used`): a fresh container and a fresh branch, each started, and
// twenty containers of one template against one copy of it (--quick: five).
import { zfsNumber } from '../lib/context.mjs';

const SCALE = 5;

export default {
  async run(context) {
    const count = context.quick ? 5 : 20;
    const { templateId } = await context.template(SCALE);
    const { call } = await context.agent();
    const container = (id) => `${context.root}/containers/${id}`;
    const ids = Array.from({ length: count }, (_, index) => `space${index + 1}`);
    // Fresh: right after it started (a running server writes a little more as it goes).
    await context.container(ids[0], SCALE);
    const fresh = await zfsNumber(container(ids[0]), 'used');
    for (const id of ids.slice(1)) await context.container(id, SCALE);
    // A second branch of the first container, from a point, activated (its server runs).
    await call('PUT', `/v1/containers/${ids[0]}/branches/main/points/p1`);
    await call('PUT', `/v1/containers/${ids[0]}/branches/b1`, {
      origin: { kind: 'point', containerId: ids[0], branchId: 'main', pointId: 'p1' },
      firstPointId: 'b1-first',
    });
    await call('PUT', `/v1/containers/${ids[0]}/active`, { branchId: 'b1' });
    const branch = await zfsNumber(`${container(ids[0])}/b1`, 'used');
    const template = await zfsNumber(`${context.root}/templates/${templateId}`, 'used');
    let containers = 0;
    for (const id of ids) containers += await zfsNumber(container(id), 'used');
    await context.stopContainers(ids);
    context.log(
      `space: template ${template} B, fresh container ${fresh} B, branch ${branch} B, ${count} containers ${containers} B`,
    );
    return [
      { figure: 'fresh container, started: used', value: fresh, unit: 'B', target: '< 1 MB' },
      { figure: 'fresh branch, activated: used', value: branch, unit: 'B', target: '< 1 MB' },
      {
        figure: `template + ${count} containers ÷ template (used)`,
        value: (template + containers) / template,
        unit: 'x',
        baseline: count + 1,
        target: '< 1.3x',
      },
      { figure: 'template (one copy): used', value: template, unit: 'B' },
    ];
  },
};

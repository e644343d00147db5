import type { CatalogTarget } from '@branchpoint/contracts';
import { notFound } from '../common/agent-failure.js';
import type { BranchService } from '../containers/branch.service.js';
import type { DatasetLayout } from '../datasets/layout.js';
import { PROPERTY } from '../datasets/properties.js';
import type { Zfs } from '../zfs/zfs.js';

/**
 * The control plane's records of its objects, kept on the host in `branchpoint:catalog` so that
 * a lost catalog can be rebuilt from the hosts. The agent stores them and never reads them.
 */
export class CatalogRecords {
  constructor(
    private readonly zfs: Zfs,
    private readonly layout: DatasetLayout,
    private readonly branches: BranchService,
  ) {}

  /** Writes the record on its target; a repeat with the same record changes nothing. */
  async put(target: CatalogTarget, record: Record<string, unknown>): Promise<void> {
    const name = await this.datasetOf(target);
    const value = JSON.stringify(record);
    // Local values only: a branch must not take its container's inherited record for its own.
    const [info] = await this.zfs.describe(name, { depth: 0 });
    if (info?.properties['catalog'] === value) return;
    await this.zfs.set(name, PROPERTY.catalog, value);
  }

  /** The dataset or snapshot a target's record lives on; 404 when it does not exist. */
  private async datasetOf(target: CatalogTarget): Promise<string> {
    if (target.kind === 'point')
      return (await this.branches.findPoint(target.containerId, target.branchId, target.pointId))
        .snapshot;
    const [name, what] = this.nameOf(target);
    if (!(await this.zfs.exists(name))) throw notFound(`${what} does not exist`);
    return name;
  }

  private nameOf(target: Exclude<CatalogTarget, { kind: 'point' }>): [string, string] {
    switch (target.kind) {
      case 'template':
        return [this.layout.template(target.templateId), `template ${target.templateId}`];
      case 'template-version':
        return [
          this.layout.templateVersion(target.templateId, target.version),
          `template ${target.templateId} version ${target.version}`,
        ];
      case 'container':
        return [this.layout.container(target.containerId), `container ${target.containerId}`];
      case 'branch':
        return [
          this.layout.branch(target.containerId, target.branchId),
          `branch ${target.branchId} of container ${target.containerId}`,
        ];
    }
  }
}

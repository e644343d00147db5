import type { AgentInventory, InventoryDataset } from '@branchpoint/contracts';

/** What an agent's datasets belong to, read from the layout `<root>/{templates|containers}/<id>/...`. */
export interface OwnedDataset {
  dataset: InventoryDataset;
  kind: 'template' | 'container';
  ownerId: string;
  /** The `<root>/<kind>s/<id>` dataset itself (its `used` covers everything below). */
  isTop: boolean;
}

export function classifyInventory(inventory: AgentInventory): OwnedDataset[] {
  const prefix = `${inventory.root}/`;
  const owned: OwnedDataset[] = [];
  for (const dataset of inventory.datasets) {
    if (dataset.type !== 'filesystem' || !dataset.name.startsWith(prefix)) continue;
    const [group, ownerId, ...rest] = dataset.name.slice(prefix.length).split('/');
    if (!ownerId || (group !== 'templates' && group !== 'containers')) continue;
    owned.push({
      dataset,
      kind: group === 'templates' ? 'template' : 'container',
      ownerId,
      isTop: rest.length === 0,
    });
  }
  return owned;
}

/** Logical bytes (what the data amounts to) and physical bytes (what it takes in the pool) per owner. */
export function bytesByOwner(
  owned: OwnedDataset[],
): Map<string, { kind: OwnedDataset['kind']; logicalBytes: number; physicalBytes: number }> {
  const totals = new Map<
    string,
    { kind: OwnedDataset['kind']; logicalBytes: number; physicalBytes: number }
  >();
  for (const item of owned) {
    const entry = totals.get(item.ownerId) ?? {
      kind: item.kind,
      logicalBytes: 0,
      physicalBytes: 0,
    };
    if (item.isTop) entry.physicalBytes = item.dataset.usedBytes;
    else entry.logicalBytes += item.dataset.referencedBytes;
    totals.set(item.ownerId, entry);
  }
  return totals;
}

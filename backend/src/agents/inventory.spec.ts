import type { InventoryDataset } from '@branchpoint/contracts';
import { describe, expect, it } from 'vitest';
import { bytesByOwner, classifyInventory } from './inventory.js';

const ds = (
  name: string,
  usedBytes: number,
  referencedBytes: number,
  type: InventoryDataset['type'] = 'filesystem',
): InventoryDataset => ({
  name,
  type,
  origin: null,
  usedBytes,
  referencedBytes,
  userrefs: 0,
  properties: {},
});

describe('inventory', () => {
  const inventory = {
    root: 'pool/bp',
    instances: [],
    datasets: [
      ds('pool/bp', 1, 1),
      ds('pool/bp/templates', 1, 1),
      ds('pool/bp/templates/t1', 1000, 10),
      ds('pool/bp/templates/t1/app', 990, 900),
      ds('pool/bp/containers/c1', 50, 10),
      ds('pool/bp/containers/c1/b1', 40, 5),
      ds('pool/bp/containers/c1/b1/app', 30, 900),
      ds('pool/bp/containers/c1/b1/app@p1', 5, 900, 'snapshot'),
    ],
  };

  it('assigns datasets to the template or container they belong to', () => {
    const owned = classifyInventory(inventory);
    expect(owned.map((o) => `${o.kind}:${o.ownerId}:${o.isTop}`)).toEqual([
      'template:t1:true',
      'template:t1:false',
      'container:c1:true',
      'container:c1:false',
      'container:c1:false',
    ]);
  });

  it('sums logical bytes below the top dataset and takes physical bytes from it', () => {
    const bytes = bytesByOwner(classifyInventory(inventory));
    expect(bytes.get('c1')).toEqual({ kind: 'container', logicalBytes: 905, physicalBytes: 50 });
    expect(bytes.get('t1')).toEqual({ kind: 'template', logicalBytes: 900, physicalBytes: 1000 });
  });
});

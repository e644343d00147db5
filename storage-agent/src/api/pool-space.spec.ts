import { describe, expect, it } from 'vitest';
import type { Zfs } from '../zfs/zfs.js';
import { explainFullPool, LOW_SPACE_BYTES } from './pool-space.js';

const failure = {
  statusCode: 500,
  code: 'instance-failed' as const,
  message: 'postgres did not start',
};
const zfsWith = (available: string | Error) =>
  ({
    getValue: async () => {
      if (available instanceof Error) throw available;
      return available;
    },
  }) as unknown as Zfs;

describe('explainFullPool', () => {
  it('names the full pool as the cause', async () => {
    const body = await explainFullPool(failure, zfsWith('65536'), 'tank/bp');
    expect(body).toMatchObject({ statusCode: 500, code: 'instance-failed' });
    expect(body.message).toBe(
      'postgres did not start (the pool is full: 64 KiB available below tank/bp)',
    );
  });

  it('leaves the failure alone when there is room, or when the space cannot be read', async () => {
    expect(await explainFullPool(failure, zfsWith(String(LOW_SPACE_BYTES)), 'tank/bp')).toBe(
      failure,
    );
    expect(await explainFullPool(failure, zfsWith(new Error('zfs gone')), 'tank/bp')).toBe(failure);
  });
});

import { describe, expect, it } from 'vitest';
import type { Host } from '../database/entities/host.entity.js';
import { toHostDto } from './hosts.service.js';

const host = {
  id: 'h1',
  name: 'zfs-1',
  url: 'https://10.0.0.5:7070',
  token: 'v1:sealed',
  certificateFingerprint: 'AB:CD',
  status: 'down',
  draining: false,
  capacity: null,
  lastError: 'connect ECONNREFUSED 10.0.0.5:7070',
  checkedAt: null,
} as unknown as Host;

describe('toHostDto', () => {
  it("gives admins the agent's address, pin and error, and never the token", () => {
    const dto = toHostDto(host, true);
    expect(dto).toMatchObject({
      url: host.url,
      certificateFingerprint: 'AB:CD',
      lastError: host.lastError,
    });
    expect(JSON.stringify(dto)).not.toContain('sealed');
  });

  it('leaves out the address, pin and error for other users', () => {
    const dto = toHostDto(host, false);
    expect(Object.keys(dto).sort()).toEqual([
      'capacity',
      'checkedAt',
      'draining',
      'id',
      'name',
      'status',
    ]);
    expect(JSON.stringify(dto)).not.toContain('10.0.0.5');
  });
});

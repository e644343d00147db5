import { describe, expect, it } from 'vitest';
import { TransferGrants } from './grants.js';
import { grantSha256 } from './transfer.service.js';

const subject = { kind: 'template' as const, templateId: 't1', from: 'v1', to: 'v2' };
const GRANT = 'g'.repeat(43);

function expecting(now: { t: number }) {
  const grants = new TransferGrants(() => now.t);
  grants.expect('x1', { subject, grantSha256: grantSha256(GRANT), validForMs: 60_000 });
  return grants;
}

describe('transfer grants', () => {
  it('accept the right grant once, for its subject', () => {
    const grants = expecting({ t: 0 });
    expect(grants.redeem('x1', GRANT, subject)).toEqual({ subject, installation: undefined });
    expect(() => grants.redeem('x1', GRANT, subject)).toThrow(/already used/);
  });

  it.each([
    ['a forged grant', 'x1', 'f'.repeat(43), subject, /wrong grant/],
    ['no grant', 'x1', undefined, subject, /wrong grant/],
    ['another transfer', 'x2', GRANT, subject, /no transfer x2/],
    ['another version', 'x1', GRANT, { ...subject, to: 'v3' }, /another dataset or version/],
    ['another template', 'x1', GRANT, { ...subject, templateId: 't2' }, /another dataset/],
  ])('refuse %s', (_case, id, presented, claimed, message) => {
    expect(() => expecting({ t: 0 }).redeem(id, presented, claimed)).toThrow(message);
  });

  it('refuse an expired grant', () => {
    const now = { t: 0 };
    const grants = expecting(now);
    now.t = 60_000;
    expect(() => grants.redeem('x1', GRANT, subject)).toThrow(/expired/);
  });

  it('take the same expectation twice, refuse another grant under the same id', () => {
    const grants = expecting({ t: 0 });
    grants.expect('x1', { subject, grantSha256: grantSha256(GRANT), validForMs: 60_000 });
    expect(() =>
      grants.expect('x1', { subject, grantSha256: grantSha256('h'.repeat(43)), validForMs: 1000 }),
    ).toThrow(/another grant/);
  });

  it('bind a point grant to its point and source, whatever order the claim lists the fields in', () => {
    const point = {
      kind: 'point' as const,
      templateId: 't1',
      version: 'v1',
      containerId: 'c1',
      branchId: 'b1',
      pointId: 'p1',
      sourceId: 's1',
    };
    const make = () => {
      const grants = new TransferGrants(() => 0);
      grants.expect('x1', { subject: point, grantSha256: grantSha256(GRANT), validForMs: 60_000 });
      return grants;
    };
    expect(() => make().redeem('x1', GRANT, { ...point, sourceId: 's2' })).toThrow(/another/);
    expect(() => make().redeem('x1', GRANT, { ...point, pointId: 'p2' })).toThrow(/another/);
    expect(() => make().redeem('x1', GRANT, subject)).toThrow(/another/);
    const { kind, ...rest } = point;
    expect(make().redeem('x1', GRANT, { ...rest, kind })).toMatchObject({ subject: point });
  });
});

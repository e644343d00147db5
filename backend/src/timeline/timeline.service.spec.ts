import { describe, expect, it, vi } from 'vitest';
import type { AgentsService } from '../agents/agents.service.js';
import type { Branch } from '../database/entities/branch.entity.js';
import type { Container } from '../database/entities/container.entity.js';
import type { Point } from '../database/entities/point.entity.js';
import type { EventsService } from '../events/events.service.js';
import { TimelineService } from './timeline.service.js';

/** Branch b1 holds v2 data; point p0 (of b1) and p9 (of b2) hold v1 data. */
function setup() {
  const rows = new Map<string, Point>(
    [
      { id: 'p0', branchId: 'b1', templateVersion: 'v1' },
      { id: 'p9', branchId: 'b2', templateVersion: 'v1' },
    ].map((p) => [p.id, p as Point]),
  );
  const points = {
    findOneBy: async ({ id }: { id: string }) => rows.get(id) ?? null,
    create: (fields: Point) => fields,
    save: async (point: Point) => {
      rows.set(point.id, point);
      return point;
    },
  };
  const branchRows = new Map<string, Branch>(
    [
      { id: 'b1', templateVersion: 'v2' },
      { id: 'b3', templateVersion: 'v2' },
    ].map((b) => [b.id, b as Branch]),
  );
  const branches = {
    findOneBy: async ({ id }: { id: string }) => branchRows.get(id) ?? null,
    update: async (id: string, changes: Partial<Branch>) => {
      Object.assign(branchRows.get(id)!, changes);
    },
  };
  const calls: string[] = [];
  const agent = {
    createPoint: vi.fn(async (_c: string, b: string, p: string) => calls.push(`point ${b}@${p}`)),
    restore: vi.fn(async (_c: string, b: string, g: string, request: object) =>
      calls.push(`restore ${b}/${g} ${JSON.stringify(request)}`),
    ),
  };
  const agents = { forHostOf: async () => agent } as unknown as AgentsService;
  const events = { timelineChanged: vi.fn(async () => undefined) } as unknown as EventsService;
  const service = new TimelineService(points as never, branches as never, agents, events);
  const version = (branchId: string) => branchRows.get(branchId)?.templateVersion;
  return { service, rows, calls, agent, version };
}

const container = { id: 'c1', hostId: 'h1' } as Container;
const ids = {
  containerId: 'c1',
  branchId: 'b1',
  beforePointId: 'before',
  generationId: 'g2',
  afterPointId: 'after',
};

describe('TimelineService', () => {
  it('restores with a point before, a new generation, and a point after that undo can follow back', async () => {
    const { service, rows, calls } = setup();
    await service.replaceData(
      container,
      ids,
      { kind: 'point', pointId: 'p0', branchId: 'b1' },
      'restore',
      async () => undefined,
    );
    // The point after is taken by the restore call itself, before the servers start again.
    expect(calls).toEqual([
      'point b1@before',
      'restore b1/g2 {"fromPointId":"p0","afterPointId":"after"}',
    ]);
    expect(rows.get('before')?.type).toBe('snapshot');
    expect(rows.get('after')).toMatchObject({ type: 'restore', undoPointId: 'before' });
  });

  it("gives the branch and the point after the restored point's version; the point before keeps the old one", async () => {
    const { service, rows, version } = setup();
    await service.replaceData(
      container,
      ids,
      { kind: 'point', pointId: 'p9', branchId: 'b2' },
      'undo',
      async () => undefined,
    );
    expect(rows.get('before')?.templateVersion).toBe('v2');
    expect(rows.get('after')?.templateVersion).toBe('v1');
    expect(version('b1')).toBe('v1');
  });

  it('records a settings change between a point before and a settings point undo follows back', async () => {
    const { service, rows, calls } = setup();
    const answer = await service.undoableStep(container, ids, 'settings', async () => {
      calls.push('alter system');
      return 'applied';
    });
    expect(answer).toBe('applied');
    expect(calls).toEqual(['point b1@before', 'alter system', 'point b1@after']);
    expect(rows.get('after')).toMatchObject({ type: 'settings', undoPointId: 'before' });
  });

  it('names the other branch only when the target lives there', async () => {
    const { service, calls } = setup();
    await service.replaceData(
      container,
      ids,
      { kind: 'point', pointId: 'p9', branchId: 'b2' },
      'restore',
      async () => undefined,
    );
    expect(calls[1]).toBe(
      'restore b1/g2 {"fromPointId":"p9","fromBranchId":"b2","afterPointId":"after"}',
    );
  });

  it('refreshes by restoring straight from the template version, undoable like a restore', async () => {
    const { service, rows, calls } = setup();
    await service.replaceData(
      container,
      ids,
      { kind: 'template', templateId: 't1', version: 'v2' },
      'refresh',
      async () => undefined,
    );
    expect(calls).toEqual([
      'point b1@before',
      'restore b1/g2 {"fromTemplate":{"templateId":"t1","version":"v2"},"afterPointId":"after"}',
    ]);
    expect(rows.get('after')).toMatchObject({ type: 'refresh', undoPointId: 'before' });
  });

  it('gives the branch and the point after a refresh the new version', async () => {
    const { service, rows, version } = setup();
    await service.replaceData(
      container,
      ids,
      { kind: 'template', templateId: 't1', version: 'v3' },
      'refresh',
      async () => undefined,
    );
    expect(rows.get('before')?.templateVersion).toBe('v2');
    expect(rows.get('after')?.templateVersion).toBe('v3');
    expect(version('b1')).toBe('v3');
  });

  it("records a bookmark's or snapshot's point with the branch's current version", async () => {
    const { service, rows } = setup();
    await service.takePoint(container, 'b1', 'p1', 'bookmark', { bookmarkId: 'k1' });
    expect(rows.get('p1')).toMatchObject({ bookmarkId: 'k1', templateVersion: 'v2' });
  });

  it("starts a new branch at its origin's version: a point's, or the template version it is cloned from", async () => {
    const { service, rows, version } = setup();
    await service.takeFirstPoint(container, 'b3', 'first', { kind: 'point', pointId: 'p9' });
    expect(version('b3')).toBe('v1');
    expect(rows.get('first')).toMatchObject({ type: 'created', templateVersion: 'v1' });

    await service.takeFirstPoint(container, 'b1', 'first-b1', { kind: 'template', version: 'v4' });
    expect(version('b1')).toBe('v4');
    expect(rows.get('first-b1')?.templateVersion).toBe('v4');
  });

  it('only records a first point the agent took with the branch (no second agent call)', async () => {
    const { service, rows, calls } = setup();
    const origin = { kind: 'point', pointId: 'p9' } as const;
    await service.takeFirstPoint(container, 'b3', 'first', origin, { snapshotTaken: true });
    expect(calls).toEqual([]);
    expect(rows.get('first')).toMatchObject({ type: 'created', templateVersion: 'v1' });
  });

  it('refuses a restore from a point that no longer exists before touching the data', async () => {
    const { service, calls, version } = setup();
    await expect(
      service.replaceData(
        container,
        ids,
        { kind: 'point', pointId: 'gone', branchId: 'b1' },
        'restore',
        async () => undefined,
      ),
    ).rejects.toThrow('point gone not found');
    expect(calls).toEqual(['point b1@before']);
    expect(version('b1')).toBe('v2');
  });

  it('repeats agent calls but records a point once when a step is retried', async () => {
    const { service, rows, agent } = setup();
    await service.takePoint(container, 'b1', 'p1', 'bookmark', { bookmarkId: 'k1' });
    const first = rows.get('p1');
    await service.takePoint(container, 'b1', 'p1', 'bookmark', { bookmarkId: 'k1' });
    expect(agent.createPoint).toHaveBeenCalledTimes(2);
    expect(rows.get('p1')).toBe(first);
  });
});

import { describe, expect, it, vi } from 'vitest';
import type { AgentsService } from '../agents/agents.service.js';
import type { Container } from '../containers/container.entity.js';
import type { EventsService } from '../events/events.service.js';
import type { HostsService } from '../hosts/hosts.service.js';
import type { Point } from './point.entity.js';
import { TimelineService } from './timeline.service.js';

function setup() {
  const rows = new Map<string, Point>();
  const points = {
    findOneBy: async ({ id }: { id: string }) => rows.get(id) ?? null,
    create: (fields: Point) => fields,
    save: async (point: Point) => {
      rows.set(point.id, point);
      return point;
    },
  };
  const calls: string[] = [];
  const agent = {
    createPoint: vi.fn(async (_c: string, b: string, p: string) => calls.push(`point ${b}@${p}`)),
    restore: vi.fn(async (_c: string, b: string, g: string, request: object) =>
      calls.push(`restore ${b}/${g} ${JSON.stringify(request)}`),
    ),
  };
  const agents = { client: () => agent } as unknown as AgentsService;
  const hosts = {
    get: async () => ({ url: 'http://agent', token: 't' }),
  } as unknown as HostsService;
  const events = { timelineChanged: vi.fn(async () => undefined) } as unknown as EventsService;
  const service = new TimelineService(points as never, agents, hosts, events);
  return { service, rows, calls, agent };
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
    expect(calls).toEqual([
      'point b1@before',
      'restore b1/g2 {"fromPointId":"p0"}',
      'point b1@after',
    ]);
    expect(rows.get('before')?.type).toBe('snapshot');
    expect(rows.get('after')).toMatchObject({ type: 'restore', undoPointId: 'before' });
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
    expect(calls[1]).toBe('restore b1/g2 {"fromPointId":"p9","fromBranchId":"b2"}');
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
      'restore b1/g2 {"fromTemplate":{"templateId":"t1","version":"v2"}}',
      'point b1@after',
    ]);
    expect(rows.get('after')).toMatchObject({ type: 'refresh', undoPointId: 'before' });
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

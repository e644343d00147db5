import type { ApiClient } from '@branchpoint/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createContainer,
  eventually,
  names,
  startWorld,
  stopWorld,
  type ContainerView,
  type World,
} from './support.js';

// Schedules (issue 15 point 5): a container's stop and start come from cron expressions in a
// time zone; the sweep (every 300 ms here) queues the usual stop and start jobs on a real
// container. Times a few seconds ahead stand in for "tonight" and "tomorrow morning".

type Serving = ContainerView & { serving: 'running' | 'stopped' | 'idle' };
interface ScheduleView {
  scope: 'container' | 'user' | 'none';
  stop: string | null;
  start: string | null;
  timeZone: string | null;
  nextStopAt: string | null;
  nextStartAt: string | null;
}

let world: World;
let owner: ApiClient;
let container: ContainerView;

const view = () => owner.expect<Serving>(200, 'GET', `/containers/${container.id}`);

/** A 6-field cron expression (seconds first) matching the UTC second of `at` only. */
function cronAt(at: Date): string {
  return `${at.getUTCSeconds()} ${at.getUTCMinutes()} ${at.getUTCHours()} ${at.getUTCDate()} ${at.getUTCMonth() + 1} *`;
}

/** A whole second `ms` from now. */
const secondsFromNow = (ms: number) => new Date(Math.ceil((Date.now() + ms) / 1000) * 1000);

beforeAll(async () => {
  world = await startWorld('backend-schedules', {
    clonePorts: { first: 57600, last: 57649 },
    backendEnv: { BP_SCHEDULE_CHECK_MS: '300' },
  });
  owner = (await world.stack.createUser('night-owl')).api;
  container = await createContainer(owner, world.templateId, 'nine-to-five');
});

afterAll(async () => {
  await stopWorld(world);
});

describe('schedules', () => {
  it('refuses expressions and time zones that are not, naming the problem', async () => {
    const bad = await owner.expect<{ message: string }>(
      400,
      'PUT',
      `/containers/${container.id}/schedule`,
      { stop: '61 20 * * *', start: '0 7 * *', timeZone: 'Mars/Olympus' },
    );
    expect(bad.message).toContain('cron expression "61 20 * * *"');
    expect(bad.message).toContain('must have 5 fields');
    expect(bad.message).toContain('unknown time zone Mars/Olympus');
    await owner.expect(400, 'PUT', `/containers/${container.id}/schedule`, {
      timeZone: 'UTC',
    });
    const stranger = (await world.stack.createUser('stranger')).api;
    await stranger.expect(404, 'PUT', `/containers/${container.id}/schedule`, {
      stop: '0 20 * * *',
      timeZone: 'UTC',
    });
    expect(
      await owner.expect<ScheduleView>(200, 'GET', `/containers/${container.id}/schedule`),
    ).toMatchObject({ scope: 'none', nextStopAt: null });
  });

  it("falls back to the owner's default and shows the next stop and start in its time zone", async () => {
    const mine = await owner.expect<ScheduleView>(200, 'PUT', '/me/schedule', {
      stop: '0 20 * * 1-5',
      start: '0 7 * * 1-5',
      timeZone: 'Europe/Berlin',
    });
    expect(mine.scope).toBe('user');
    const applied = await owner.expect<ScheduleView>(
      200,
      'GET',
      `/containers/${container.id}/schedule`,
    );
    expect(applied).toMatchObject({ scope: 'user', timeZone: 'Europe/Berlin' });
    // 07:00 in Berlin is 05:00 or 06:00 UTC, on a weekday.
    const start = new Date(applied.nextStartAt!);
    expect([5, 6]).toContain(start.getUTCHours());
    expect([1, 2, 3, 4, 5]).toContain(
      new Date(start.toLocaleString('en-US', { timeZone: 'Europe/Berlin' })).getDay(),
    );
    await owner.expect(204, 'DELETE', '/me/schedule');
  });

  it('stops the container when its stop comes and starts it at its start', async () => {
    expect((await view()).serving).toBe('running');
    const stopAt = secondsFromNow(3000);
    const startAt = new Date(stopAt.getTime() + 20_000);
    const schedule = await owner.expect<ScheduleView>(
      200,
      'PUT',
      `/containers/${container.id}/schedule`,
      { stop: cronAt(stopAt), start: cronAt(startAt), timeZone: 'UTC' },
    );
    expect(schedule).toMatchObject({
      scope: 'container',
      nextStopAt: stopAt.toISOString(),
      nextStartAt: startAt.toISOString(),
    });
    await eventually(async () => expect((await view()).serving).toBe('stopped'), 30_000);
    await expect(names(container)).rejects.toThrow();
    await eventually(async () => expect((await view()).serving).toBe('running'), 60_000);
    expect(await names(container)).toContain('Ada');
    const audit = await world.stack.api.expect<{ action: string }[]>(200, 'GET', '/audit?limit=50');
    const actions = audit.map((event) => event.action);
    expect(actions).toContain('container.schedule-stop');
    expect(actions).toContain('container.schedule-start');
  });
});

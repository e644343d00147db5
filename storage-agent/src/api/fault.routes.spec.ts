import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAgent } from '../agent.js';
import { enableFaultInjection, faultPoint } from '../common/fault-point.js';
import { loadConfig } from '../config.js';
import { buildApp } from './app.js';

const config = loadConfig({ BP_ZFS_ROOT: 'tank/bp', BP_AGENT_TOKEN: 'fault-test-token-0123' });
const auth = { authorization: `Bearer ${config.token}` };
const noCommands = async () => ({ stdout: '', stderr: 'not here', exitCode: 1 });

async function appWith(faultInjection: boolean) {
  const app = buildApp(createAgent(config, noCommands), config.token, { faultInjection });
  await app.ready();
  return app;
}

const arm = (app: Awaited<ReturnType<typeof appWith>>, body: unknown) =>
  app.inject({ method: 'PUT', url: '/v1/test/fault', headers: auth, payload: body as object });

describe('fault injection (tests only)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('has no route without BP_FAULT_INJECTION=on', async () => {
    const app = await appWith(false);
    expect((await arm(app, { step: 'activate:after-switch' })).statusCode).toBe(404);
    expect(
      (await app.inject({ method: 'DELETE', url: '/v1/test/fault', headers: auth })).statusCode,
    ).toBe(404);
    await app.close();
  });

  it('refuses a step that is not in the list with a 400 naming it', async () => {
    const app = await appWith(true);
    const answer = await arm(app, { step: 'activate:whenever' });
    expect(answer.statusCode).toBe(400);
    expect(answer.json().message).toMatch(/body\.step/);
    await app.close();
  });

  it('kills the process at the armed step only, once, and not after a disarm', async () => {
    const kill = vi.spyOn(process, 'kill').mockImplementation(() => true);
    const app = await appWith(true);
    faultPoint('activate:after-switch');
    enableFaultInjection();
    expect((await arm(app, { step: 'activate:after-switch' })).statusCode).toBe(204);
    faultPoint('activate:after-stop');
    expect(kill).not.toHaveBeenCalled();
    faultPoint('activate:after-switch');
    faultPoint('activate:after-switch');
    expect(kill.mock.calls).toEqual([[process.pid, 'SIGKILL']]);
    await arm(app, { step: 'reset:after-stop' });
    expect(
      (await app.inject({ method: 'DELETE', url: '/v1/test/fault', headers: auth })).statusCode,
    ).toBe(204);
    faultPoint('reset:after-stop');
    expect(kill).toHaveBeenCalledTimes(1);
    await app.close();
  });
});

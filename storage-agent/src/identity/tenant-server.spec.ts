import { describe, expect, it, vi } from 'vitest';
import { serveTenantServer } from './tenant-server.js';

/** A server whose liveness the test flips; `waitUntilReady` fails once the server is gone. */
function server(initiallyRunning: boolean, dies: boolean) {
  let running = initiallyRunning;
  const launch = vi.fn(async () => {
    running = true;
    return async () => !running;
  });
  const waitUntilReady = vi.fn(async (gone: () => Promise<boolean>) => {
    if (dies && waitUntilReady.mock.calls.length === 1) running = false;
    if (await gone()) throw new Error('did not start');
  });
  return { running: async () => running, launch, waitUntilReady };
}

describe('serveTenantServer', () => {
  it('launches a server that does not run, and says so', async () => {
    const stopped = server(false, false);
    expect(await serveTenantServer(stopped)).toBe(true);
    expect(stopped.launch).toHaveBeenCalledTimes(1);
  });

  it('waits for a server found running without launching another', async () => {
    const starting = server(true, false);
    expect(await serveTenantServer(starting)).toBe(false);
    expect(starting.launch).not.toHaveBeenCalled();
  });

  it('launches afresh a found server that exits while it is waited for (a failed recovery)', async () => {
    const failing = server(true, true);
    expect(await serveTenantServer(failing)).toBe(true);
    expect(failing.launch).toHaveBeenCalledTimes(1);
    expect(failing.waitUntilReady).toHaveBeenCalledTimes(2);
  });

  it('reports a found server that still runs but never became ready', async () => {
    const stuck = server(true, false);
    stuck.waitUntilReady.mockRejectedValueOnce(new Error('not ready in time'));
    await expect(serveTenantServer(stuck)).rejects.toThrow('not ready in time');
    expect(stuck.launch).not.toHaveBeenCalled();
  });

  it('reports a server it launched that exits, without launching it again', async () => {
    const broken = server(false, true);
    await expect(serveTenantServer(broken)).rejects.toThrow('did not start');
    expect(broken.launch).toHaveBeenCalledTimes(1);
  });
});

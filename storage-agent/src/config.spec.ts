import { describe, expect, it } from 'vitest';
import { ConfigError, DEV_AGENT_TOKEN, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('reads a full configuration', () => {
    const config = loadConfig({
      BP_ZFS_ROOT: 'tank/bp',
      BP_AGENT_TOKEN: 'a-long-enough-token',
      BP_CLONE_PORTS: '56000-56499',
      BP_AGENT_PORT: '7071',
      BP_AGENT_RUN_DIR: '/run/bp',
      BP_HOOK_TIMEOUT_MS: '30000',
    });
    expect(config).toMatchObject({
      zfsRoot: 'tank/bp',
      pool: 'tank',
      token: 'a-long-enough-token',
      port: 7071,
      clonePorts: { first: 56000, last: 56499 },
      runDir: '/run/bp',
      dev: false,
      hookTimeoutMs: 30_000,
      tls: {
        certFile: '/run/bp/tls/agent.crt',
        keyFile: '/run/bp/tls/agent.key',
        generate: true,
      },
    });
    expect(loadConfig({ BP_ZFS_ROOT: 'tank/bp', BP_AGENT_DEV: '1' }).hookTimeoutMs).toBe(600_000);
  });

  it('serves the given certificate and key instead of making its own', () => {
    const config = loadConfig({
      BP_ZFS_ROOT: 'tank/bp',
      BP_AGENT_DEV: '1',
      BP_AGENT_TLS_CERT: '/etc/bp/agent.crt',
      BP_AGENT_TLS_KEY: '/etc/bp/agent.key',
    });
    expect(config.tls).toEqual({
      certFile: '/etc/bp/agent.crt',
      keyFile: '/etc/bp/agent.key',
      generate: false,
    });
  });

  it('turns fault injection on only for BP_FAULT_INJECTION=on', () => {
    const base = { BP_ZFS_ROOT: 'tank/bp', BP_AGENT_DEV: '1' };
    expect(loadConfig(base).faultInjection).toBe(false);
    expect(loadConfig({ ...base, BP_FAULT_INJECTION: 'off' }).faultInjection).toBe(false);
    expect(loadConfig({ ...base, BP_FAULT_INJECTION: 'on' }).faultInjection).toBe(true);
    expect(() => loadConfig({ ...base, BP_FAULT_INJECTION: 'yes' })).toThrow(/BP_FAULT_INJECTION/);
  });

  it('uses the dev token only in dev mode', () => {
    expect(loadConfig({ BP_ZFS_ROOT: 'tank/bp', BP_AGENT_DEV: '1' }).token).toBe(DEV_AGENT_TOKEN);
    expect(() => loadConfig({ BP_ZFS_ROOT: 'tank/bp' })).toThrow(/BP_AGENT_TOKEN is required/);
  });

  it('names each variable and its problem', () => {
    expect(() =>
      loadConfig({ BP_AGENT_DEV: '1', BP_ZFS_ROOT: 'tank', BP_AGENT_PORT: 'http' }),
    ).toThrow(
      'BP_AGENT_PORT must be an integer between 0 and 65535; BP_ZFS_ROOT must be a dataset below a pool, e.g. tank/branchpoint',
    );
  });

  it.each([
    [{ BP_AGENT_DEV: '1' }, /BP_ZFS_ROOT/],
    [{ BP_AGENT_DEV: '1', BP_ZFS_ROOT: 'tank' }, /BP_ZFS_ROOT/],
    [{ BP_AGENT_DEV: '1', BP_ZFS_ROOT: 'tank/bp', BP_CLONE_PORTS: '9-x' }, /BP_CLONE_PORTS/],
    [
      { BP_AGENT_DEV: '1', BP_ZFS_ROOT: 'tank/bp', BP_CLONE_PORTS: '60000-50000' },
      /BP_CLONE_PORTS/,
    ],
    [{ BP_AGENT_DEV: '1', BP_ZFS_ROOT: 'tank/bp', BP_AGENT_PORT: 'http' }, /BP_AGENT_PORT/],
    [{ BP_ZFS_ROOT: 'tank/bp', BP_AGENT_TOKEN: 'short' }, /BP_AGENT_TOKEN/],
    [{ BP_AGENT_DEV: '1', BP_ZFS_ROOT: 'tank/bp', BP_HOOK_TIMEOUT_MS: '10' }, /BP_HOOK_TIMEOUT_MS/],
    [{ BP_AGENT_DEV: '1', BP_ZFS_ROOT: 'tank/bp', BP_AGENT_TLS_CERT: '/a.crt' }, /go together/],
  ])('refuses %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});

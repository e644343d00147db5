import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configPath, normalizeUrl, readConfig, resolveSettings, writeConfig } from './config.js';
import { ExitCode } from './errors.js';

describe('resolveSettings', () => {
  const stored = { url: 'http://stored:3000', token: 'stored-token' };

  it('defaults to localhost:3000 without a token', () => {
    expect(resolveSettings({}, {}, undefined)).toEqual({
      url: 'http://localhost:3000',
      token: undefined,
    });
  });

  it('uses the stored server and token', () => {
    expect(resolveSettings({}, {}, stored)).toEqual({
      url: 'http://stored:3000',
      token: 'stored-token',
    });
  });

  it('lets the environment override the file, and flags override both', () => {
    const env = { BRANCHPOINT_URL: 'http://env:3000', BRANCHPOINT_TOKEN: 'env-token' };
    expect(resolveSettings({}, env, stored)).toEqual({
      url: 'http://env:3000',
      token: 'env-token',
    });
    expect(resolveSettings({ url: 'http://flag:3000', token: 'flag-token' }, env, stored)).toEqual({
      url: 'http://flag:3000',
      token: 'flag-token',
    });
  });

  it('never sends the stored token to another server', () => {
    expect(resolveSettings({ url: 'http://other:3000' }, {}, stored)).toEqual({
      url: 'http://other:3000',
      token: undefined,
    });
    expect(resolveSettings({ url: 'http://stored:3000/' }, {}, stored).token).toBe('stored-token');
  });
});

describe('normalizeUrl', () => {
  it('strips trailing slashes and a pasted /api/v1', () => {
    expect(normalizeUrl('http://bp:3000/')).toBe('http://bp:3000');
    expect(normalizeUrl('https://bp.example/api/v1/')).toBe('https://bp.example');
  });

  it('rejects what is not an http(s) URL as a usage error', () => {
    expect(() => normalizeUrl('bp:3000')).toThrow(
      expect.objectContaining({ exitCode: ExitCode.usage }),
    );
    expect(() => normalizeUrl('not a url')).toThrow(
      expect.objectContaining({ exitCode: ExitCode.usage }),
    );
  });
});

describe('the config file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bp-cli-config-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lives under XDG_CONFIG_HOME, else ~/.config', () => {
    expect(configPath({ XDG_CONFIG_HOME: '/x' })).toBe('/x/branchpoint/config.json');
    expect(configPath({ HOME: '/home/ci' })).toBe('/home/ci/.config/branchpoint/config.json');
  });

  it('is written readable by its owner only and read back', async () => {
    const path = configPath({ XDG_CONFIG_HOME: dir });
    await writeConfig(path, { url: 'http://bp:3000', token: 'secret', username: 'alice' });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readConfig(path)).toEqual({
      url: 'http://bp:3000',
      token: 'secret',
      username: 'alice',
    });
    expect(JSON.parse(await readFile(path, 'utf8'))).not.toHaveProperty('password');
  });

  it('is optional, but a damaged one is reported', async () => {
    expect(await readConfig(join(dir, 'missing.json'))).toBeUndefined();
    await writeFile(join(dir, 'bad.json'), '{"url": 1}');
    await expect(readConfig(join(dir, 'bad.json'))).rejects.toMatchObject({
      exitCode: ExitCode.usage,
    });
  });
});

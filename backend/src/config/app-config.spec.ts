import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './app-config.js';

const VALID = {
  DATABASE_URL: 'postgres://u:p@localhost:5432/db',
  REDIS_URL: 'redis://localhost:6379',
  BRANCHPOINT_ADMIN_PASSWORD: 'a-strong-first-secret',
  BP_JWT_SECRET: 'x'.repeat(32),
  BP_SECRET_KEY: Buffer.alloc(32, 1).toString('base64'),
};

describe('loadConfig', () => {
  it('reads a valid environment with defaults', () => {
    const { config, warnings } = loadConfig(VALID);
    expect(config.port).toBe(3000);
    expect(config.queuePrefix).toBe('bp');
    expect(warnings).toEqual([]);
  });

  it('refuses to start without a JWT secret of at least 32 bytes', () => {
    expect(() => loadConfig({ ...VALID, BP_JWT_SECRET: undefined })).toThrow(
      /BP_JWT_SECRET is required \(at least 32 bytes/,
    );
    expect(() => loadConfig({ ...VALID, BP_JWT_SECRET: 'x'.repeat(31) })).toThrow(
      /BP_JWT_SECRET must be at least 32 bytes/,
    );
    expect(loadConfig({ ...VALID, BP_JWT_SECRET: 'é'.repeat(16) }).config.jwtSecret).toBe(
      'é'.repeat(16),
    );
  });

  it('requires BP_SECRET_KEY as 32 bytes in base64, and takes a previous key for rotation', () => {
    expect(loadConfig(VALID).config.secretKeys).toEqual([Buffer.alloc(32, 1)]);
    const urlSafe = Buffer.alloc(32, 0xfb).toString('base64url');
    expect(loadConfig({ ...VALID, BP_SECRET_KEY: urlSafe }).config.secretKeys).toEqual([
      Buffer.alloc(32, 0xfb),
    ]);
    const previous = Buffer.alloc(32, 2).toString('hex');
    expect(() => loadConfig({ ...VALID, BP_SECRET_KEY_PREVIOUS: previous })).toThrow(
      /BP_SECRET_KEY_PREVIOUS must be 32 bytes in base64/,
    );
    const rotated = loadConfig({
      ...VALID,
      BP_SECRET_KEY_PREVIOUS: Buffer.alloc(32, 2).toString('base64'),
    });
    expect(rotated.config.secretKeys).toEqual([Buffer.alloc(32, 1), Buffer.alloc(32, 2)]);
    expect(() => loadConfig({ ...VALID, BP_SECRET_KEY: undefined })).toThrow(
      /BP_SECRET_KEY is required/,
    );
    const short = Buffer.alloc(16).toString('base64');
    expect(() => loadConfig({ ...VALID, BP_SECRET_KEY: short })).toThrow(
      /BP_SECRET_KEY must be 32 bytes in base64/,
    );
  });

  it('runs everything by default and only the API with BP_ROLE=api', () => {
    expect(loadConfig(VALID).config.role).toBe('all');
    expect(loadConfig({ ...VALID, BP_ROLE: 'api' }).config.role).toBe('api');
    expect(() => loadConfig({ ...VALID, BP_ROLE: 'both' })).toThrow(/BP_ROLE must be/);
  });

  it('validates the bug URL pattern', () => {
    expect(loadConfig(VALID).config.bugUrlPattern).toBeNull();
    const pattern = 'https://jira.example.com/browse/{key}';
    expect(loadConfig({ ...VALID, BP_BUG_URL_PATTERN: pattern }).config.bugUrlPattern).toBe(
      pattern,
    );
    expect(() => loadConfig({ ...VALID, BP_BUG_URL_PATTERN: 'https://x/' })).toThrow(/\{key\}/);
  });

  it('keeps the idle stop off unless BP_IDLE_STOP_MS is set', () => {
    expect(loadConfig(VALID).config.idleStopMs).toBe(0);
    const { config } = loadConfig({
      ...VALID,
      BP_IDLE_STOP_MS: '1800000',
      BP_IDLE_CHECK_MS: '5000',
    });
    expect([config.idleStopMs, config.idleCheckMs]).toEqual([1_800_000, 5000]);
    expect(() => loadConfig({ ...VALID, BP_IDLE_STOP_MS: '-1' })).toThrow(/BP_IDLE_STOP_MS/);
  });

  it('names each variable and its problem, one per line', () => {
    expect(() => loadConfig({ ...VALID, PORT: 'abc', BP_QUEUE_PREFIX: 'a b' })).toThrow(
      'Invalid configuration:\n' +
        '  - PORT must be an integer between 0 and 65535, got "abc"\n' +
        '  - BP_QUEUE_PREFIX may hold only letters, digits, "_" and "-"',
    );
  });

  it('holds the admin password to the policy every account follows', () => {
    expect(() => loadConfig({ ...VALID, BRANCHPOINT_ADMIN_PASSWORD: 'admin' })).toThrow(
      /BRANCHPOINT_ADMIN_PASSWORD must be at least 12 characters/,
    );
    expect(() => loadConfig({ ...VALID, BRANCHPOINT_ADMIN_PASSWORD: 'qwerty123456' })).toThrow(
      /BRANCHPOINT_ADMIN_PASSWORD is on the list of commonly used passwords/,
    );
  });

  it('reads trusted proxies and CORS origins as lists, refusing what is neither', () => {
    const { config } = loadConfig({
      ...VALID,
      BP_TRUSTED_PROXIES: '10.0.0.0/8, 192.0.2.7,loopback',
      BP_CORS_ORIGINS: 'https://tools.example.com',
    });
    expect(config.trustedProxies).toEqual(['10.0.0.0/8', '192.0.2.7', 'loopback']);
    expect(config.corsOrigins).toEqual(['https://tools.example.com']);
    expect(loadConfig(VALID).config).toMatchObject({ trustedProxies: [], corsOrigins: [] });
    expect(() => loadConfig({ ...VALID, BP_TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow(
      /BP_TRUSTED_PROXIES must list addresses/,
    );
    expect(() => loadConfig({ ...VALID, BP_CORS_ORIGINS: '*' })).toThrow(
      /BP_CORS_ORIGINS must list origins/,
    );
  });

  it('reads BP_OUTBOUND_ALLOW as canonical allow entries, naming a bad one; nothing allowed by default', () => {
    const { config } = loadConfig({
      ...VALID,
      BP_OUTBOUND_ALLOW: '127.0.0.1/32, 10.1.2.3/8,hooks.internal,*.corp.example,::1',
    });
    expect(config.outboundAllow.map((entry) => entry.text)).toEqual([
      '127.0.0.1/32',
      '10.0.0.0/8',
      'hooks.internal',
      '*.corp.example',
      '::1/128',
    ]);
    expect(loadConfig(VALID).config).toMatchObject({
      outboundAllow: [],
      webhooksPerUser: 20,
      webhookDeliveriesKept: 100,
    });
    expect(() => loadConfig({ ...VALID, BP_OUTBOUND_ALLOW: '10.0.0.0/8,10.0.0.0/40' })).toThrow(
      /BP_OUTBOUND_ALLOW must list IP addresses, CIDR ranges or host names: "10.0.0.0\/40"/,
    );
    expect(() => loadConfig({ ...VALID, BP_WEBHOOKS_PER_USER: '0' })).toThrow(
      /BP_WEBHOOKS_PER_USER must be an integer between 1 and 10000/,
    );
  });

  it('names every problem at once', () => {
    expect(() => loadConfig({ PORT: 'abc', REDIS_URL: 'http://x' })).toThrowError(ConfigError);
    try {
      loadConfig({ PORT: 'abc', REDIS_URL: 'http://x' });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toMatch(/PORT must be an integer/);
      expect(message).toMatch(/DATABASE_URL is required/);
      expect(message).toMatch(/REDIS_URL must use redis:/);
      expect(message).toMatch(/BRANCHPOINT_ADMIN_PASSWORD is required/);
      expect(message).toMatch(/BP_SECRET_KEY is required/);
    }
  });
});

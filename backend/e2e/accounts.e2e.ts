import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO_ROOT, type ApiClient } from '@branchpoint/testing';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createContainer,
  eventually,
  getContainer,
  sql,
  startWorld,
  stopWorld,
  type World,
} from './support.js';

// The account lifecycle through the real stack: sessions and refresh tokens, password
// changes, admin actions, API token expiry, login throttling behind a trusted proxy, headers.

interface Tokens {
  accessToken: string;
  refreshToken: string;
}
interface Account {
  id: string;
  username: string;
  password: string;
}

let world: World;
let admin: ApiClient;
let anonymous: ApiClient;
const sockets: Socket[] = [];

beforeAll(async () => {
  world = await startWorld('accounts', { backendEnv: { BP_TRUSTED_PROXIES: 'loopback' } });
  admin = world.stack.api;
  anonymous = admin.as(null);
}, 240_000);

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await stopWorld(world);
});

/** A user with a known password; each test gets its own, so their sessions do not meet. */
async function account(username: string): Promise<Account> {
  const password = `Kq8-zeta-${randomBytes(4).toString('hex')}`;
  const { id } = await admin.expect<{ id: string }>(201, 'POST', '/users', {
    username,
    password,
    role: 'user',
  });
  return { id, username, password };
}

/** Logs in from `address` (a trusted proxy forwards it), answering the status and body. */
function login(username: string, password: string, address = '192.0.2.10') {
  return anonymous.request<Tokens & { code?: string }>(
    'POST',
    '/auth/login',
    { username, password },
    { 'x-forwarded-for': address },
  );
}

async function signIn(user: Account): Promise<Tokens> {
  const { status, body } = await login(user.username, user.password);
  expect(status).toBe(200);
  return body;
}

const meStatus = async (token: string) => (await admin.as(token).request('GET', '/me')).status;

function connect(token: string): Promise<Socket> {
  const socket = io(world.stack.baseUrl, { auth: { token }, transports: ['websocket'] });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

describe('sessions', () => {
  it('renews with a refresh token once; a used one presented again ends the session', async () => {
    const user = await account('refresher');
    const first = await signIn(user);
    const refreshed = await anonymous.expect<Tokens>(200, 'POST', '/auth/refresh', {
      refreshToken: first.refreshToken,
    });
    expect(refreshed.refreshToken).not.toBe(first.refreshToken);
    expect(await meStatus(refreshed.accessToken)).toBe(200);
    // Past the grace for two tabs refreshing at once, the old token is a stolen copy.
    await sleep(3_500);
    const replay = await anonymous.request<{ code: string }>('POST', '/auth/refresh', {
      refreshToken: first.refreshToken,
    });
    expect(replay).toMatchObject({ status: 401, body: { code: 'auth.refresh-invalid' } });
    expect(await meStatus(refreshed.accessToken)).toBe(401);
    const again = await anonymous.request('POST', '/auth/refresh', {
      refreshToken: refreshed.refreshToken,
    });
    expect(again.status).toBe(401);
  });

  it('logout ends the access token and the refresh token at once', async () => {
    const user = await account('leaver');
    const tokens = await signIn(user);
    await admin.as(tokens.accessToken).expect(204, 'POST', '/auth/logout');
    expect(await meStatus(tokens.accessToken)).toBe(401);
    const refresh = await anonymous.request('POST', '/auth/refresh', {
      refreshToken: tokens.refreshToken,
    });
    expect(refresh.status).toBe(401);
  });

  it('changing one’s password needs the current one, holds the policy and ends other sessions', async () => {
    const user = await account('changer');
    const [here, elsewhere] = [await signIn(user), await signIn(user)];
    const me = admin.as(here.accessToken);
    const change = (currentPassword: string, newPassword: string) =>
      me.request<{ code: string; message: string }>('PUT', '/me/password', {
        currentPassword,
        newPassword,
      });
    expect((await change('wrong-password-0', 'a-brand-new-secret')).body.code).toBe(
      'auth.current-password-wrong',
    );
    const weak = await change(user.password, 'qwerty123456');
    expect(weak).toMatchObject({ status: 400, body: { code: 'user.password-weak' } });
    expect(weak.body.message).toMatch(/commonly used/);
    expect((await change(user.password, 'short')).body.message).toMatch(/at least 12/);
    expect((await change(user.password, 'a-brand-new-secret')).status).toBe(204);
    expect(await meStatus(here.accessToken)).toBe(200);
    expect(await meStatus(elsewhere.accessToken)).toBe(401);
    expect((await login(user.username, user.password)).status).toBe(401);
    expect((await login(user.username, 'a-brand-new-secret')).status).toBe(200);
  });
});

describe('guessing the current password', () => {
  it('is throttled like a login: a stolen access token does not find the password', async () => {
    const user = await account('guesser');
    const me = admin.as((await signIn(user)).accessToken);
    const guess = (i: number) =>
      me.request(
        'PUT',
        '/me/password',
        { currentPassword: `guess-${i}-wrong`, newPassword: 'a-brand-new-secret' },
        { 'x-forwarded-for': '198.51.100.20' },
      );
    for (let i = 0; i < 5; i++) expect((await guess(i)).status).toBe(403);
    const burst = await Promise.all([5, 6, 7].map(guess));
    expect(burst.map((answer) => answer.status).sort()).toEqual([403, 429, 429]);
  });
});

describe('API tokens', () => {
  it('expire: a bounded lifetime, the last use recorded, refused once past', async () => {
    const user = await account('pipeline');
    const api = admin.as((await signIn(user)).accessToken);
    for (const expiresInDays of [0, 366, 1.5])
      expect((await api.request('POST', '/tokens', { name: 'ci', expiresInDays })).status).toBe(
        400,
      );
    const created = await api.expect<{ id: string; token: string; expiresAt: string }>(
      201,
      'POST',
      '/tokens',
      { name: 'ci' },
    );
    const days = (Date.parse(created.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThan(90.1);
    expect(await meStatus(created.token)).toBe(200);
    const [listed] = await api.expect<{ lastUsedAt: string | null }[]>(200, 'GET', '/tokens');
    expect(listed!.lastUsedAt).not.toBeNull();

    const db = new pg.Client({ connectionString: world.stack.databaseUrl });
    await db.connect();
    try {
      await db.query(
        `UPDATE api_token SET "expiresAt" = now() - interval '1 second' WHERE id = $1`,
        [created.id],
      );
    } finally {
      await db.end();
    }
    expect(await meStatus(created.token)).toBe(401);
  });
});

describe('admin actions on accounts', () => {
  it('a reset password ends the user’s sessions; they sign in with the new one', async () => {
    const user = await account('forgetful');
    const tokens = await signIn(user);
    const path = `/users/${user.id}/password`;
    expect((await admin.request('POST', path, { password: 'forgetful-again' })).status).toBe(400);
    await admin.expect(204, 'POST', path, { password: 'a-reset-by-the-admin' });
    expect(await meStatus(tokens.accessToken)).toBe(401);
    expect((await login(user.username, 'a-reset-by-the-admin')).status).toBe(200);
  });

  it('disabling ends sessions, API tokens and open sockets at once; enabling lets the user back', async () => {
    const user = await account('suspended');
    const tokens = await signIn(user);
    const apiToken = (
      await admin.as(tokens.accessToken).expect<{ token: string }>(201, 'POST', '/tokens', {
        name: 'ci',
      })
    ).token;
    const userApi = admin.as(tokens.accessToken);
    const known = await createContainer(userApi, world.templateId, 'suspended-db');
    expect(await sql(known, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    const socket = await connect(tokens.accessToken);
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));

    const disabled = await admin.expect<{ disabled: boolean }>(
      200,
      'POST',
      `/users/${user.id}/disable`,
    );
    expect(disabled.disabled).toBe(true);
    expect(await closed).toBe('io server disconnect');
    expect(await meStatus(tokens.accessToken)).toBe(401);
    expect(await meStatus(apiToken)).toBe(401);
    await expect(connect(tokens.accessToken)).rejects.toThrow(/unauthorized/);
    expect((await login(user.username, user.password)).body.code).toBe('auth.account-disabled');
    // Only someone who knows the password learns that the account is disabled.
    expect((await login(user.username, 'not-the-password')).body.code).toBe('auth.login-failed');

    // The database password they knew stops working (the admin's API lends the clone CA).
    await getContainer(admin, known.id);
    await eventually(
      () => expect(sql(known, 'SELECT 1')).rejects.toThrow(/password authentication failed/),
      60_000,
    );

    await admin.expect(200, 'POST', `/users/${user.id}/enable`);
    expect((await login(user.username, user.password)).status).toBe(200);
    expect(await meStatus(apiToken)).toBe(401); // revoked, not suspended
    // Enabled again, they read the new password like any owner.
    const renewed = await getContainer(admin.as((await signIn(user)).accessToken), known.id);
    expect(renewed.endpoints[0]!.password).not.toBe(known.endpoints[0]!.password);
    expect(await sql(renewed, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
  }, 180_000);

  it('an admin may not disable or delete their own account', async () => {
    const me = await admin.expect<{ id: string }>(200, 'GET', '/me');
    for (const [method, path] of [
      ['POST', `/users/${me.id}/disable`],
      ['DELETE', `/users/${me.id}?containers=delete`],
    ] as const)
      expect((await admin.request<{ code: string }>(method, path)).body.code).toBe('user.self');
  });

  it('deleting a user hands containers over or deletes those they own alone, as asked', async () => {
    const [leaver, partner, heir] = [
      await account('departing'),
      await account('partner'),
      await account('heir'),
    ];
    const leaverApi = admin.as((await signIn(leaver)).accessToken);
    const partnerApi = admin.as((await signIn(partner)).accessToken);
    const alone = await createContainer(leaverApi, world.templateId, 'leaver-alone');
    const shared = await createContainer(partnerApi, world.templateId, 'leaver-shared');
    await partnerApi.expect(200, 'POST', `/containers/${shared.id}/owners`, { userId: leaver.id });

    const unsaid = await admin.request<{ code: string; message: string }>(
      'DELETE',
      `/users/${leaver.id}`,
    );
    expect(unsaid).toMatchObject({ status: 400, body: { code: 'user.handover-invalid' } });
    expect(unsaid.body.message).toMatch(/owns 2 container/);
    const toNobody = await admin.request(
      'DELETE',
      `/users/${leaver.id}?containers=transfer&to=${leaver.id}`,
    );
    expect(toNobody.status).toBe(400);

    // Transfer: the heir takes the leaver's place in both containers.
    const handedOver = await admin.expect<{ keptContainerIds: string[]; deletions: unknown[] }>(
      200,
      'DELETE',
      `/users/${leaver.id}?containers=transfer&to=${heir.id}`,
    );
    expect(handedOver.keptContainerIds.sort()).toEqual([alone.id, shared.id].sort());
    expect(handedOver.deletions).toEqual([]);
    const owners = async (id: string) =>
      (await admin.expect<{ owners: { id: string }[] }>(200, 'GET', `/containers/${id}`)).owners
        .map((owner) => owner.id)
        .sort();
    expect(await owners(alone.id)).toEqual([heir.id]);
    expect(await owners(shared.id)).toEqual([partner.id, heir.id].sort());
    expect((await login(leaver.username, leaver.password)).status).toBe(401);
    const users = await admin.expect<{ id: string }[]>(200, 'GET', '/users');
    expect(users.map((u) => u.id)).not.toContain(leaver.id);

    // Delete: what the heir owns alone goes, what they share stays with the partner.
    const deleted = await admin.expect<{
      keptContainerIds: string[];
      deletions: { containerId: string; jobId: string }[];
    }>(200, 'DELETE', `/users/${heir.id}?containers=delete`);
    expect(deleted.keptContainerIds).toEqual([shared.id]);
    expect(deleted.deletions.map((d) => d.containerId)).toEqual([alone.id]);
    expect((await admin.waitForJob(deleted.deletions[0]!.jobId)).state).toBe('succeeded');
    expect((await admin.request('GET', `/containers/${alone.id}`)).status).toBe(404);
    expect(await owners(shared.id)).toEqual([partner.id]);
  }, 300_000);
});

describe('login throttling', () => {
  it('slows a guesser at one address without locking the user out elsewhere', async () => {
    const user = await account('target');
    const attempt = (password: string, address: string) =>
      fetch(`${world.stack.apiUrl}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
        body: JSON.stringify({ username: user.username, password }),
      });
    for (let i = 0; i < 5; i++)
      expect((await attempt(`guess-${i}-wrong`, '198.51.100.7')).status).toBe(401);
    // The sixth is checked and starts a delay; those sent with it wait (a burst, so that a
    // slow password check cannot outlast the delay between them).
    const burst = await Promise.all(
      Array.from({ length: 5 }, (_, i) => attempt(`burst-${i}-wrong`, '198.51.100.7')),
    );
    expect(burst.map((answer) => answer.status).sort()).toEqual([401, 429, 429, 429, 429]);
    const retryAfter = Number(
      burst.find((answer) => answer.status === 429)!.headers.get('retry-after'),
    );
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    // The user, from their own address, is not affected by the stranger.
    expect((await login(user.username, user.password, '198.51.100.8')).status).toBe(200);
    // And the guesser's address may try again once the delay has passed.
    await sleep(retryAfter * 1000 + 100);
    expect((await login(user.username, user.password, '198.51.100.7')).status).toBe(200);
  });

  it('counts a parallel burst before checking: it gets no more guesses than a sequence', async () => {
    const user = await account('burst');
    const statuses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => login(user.username, `burst-${i}`, '198.51.100.9')),
    ).then((answers) => answers.map((answer) => answer.status));
    expect(statuses.filter((status) => status === 401)).toHaveLength(6);
    expect(statuses.filter((status) => status === 429)).toHaveLength(14);
  });

  it('refuses an unknown username after the same work as a wrong password', async () => {
    const user = await account('timing');
    const median = async (username: string) => {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        const { status } = await login(username, 'wrong-password-x', `203.0.113.${20 + i}`);
        times.push(performance.now() - started);
        expect(status).toBe(401);
      }
      return times.sort((a, b) => a - b)[2]!;
    };
    const known = await median(user.username);
    const unknown = await median('nobody-by-this-name');
    // Without a hash check for unknown names they answer in a few ms against argon2's tens.
    expect(unknown).toBeGreaterThan(known * 0.4);
  });
});

describe('headers and configuration', () => {
  it('answers with a Content-Security-Policy and the usual security headers, and no CORS', async () => {
    const response = await fetch(`${world.stack.apiUrl}/health`, {
      headers: { origin: 'https://evil.example' },
    });
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${world.stack.apiUrl}/containers`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'DELETE',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses to start with an admin password that fails the policy', () => {
    const started = spawnSync(process.execPath, [join(REPO_ROOT, 'backend/dist/main.js')], {
      env: {
        PATH: process.env['PATH'],
        DATABASE_URL: world.stack.databaseUrl,
        REDIS_URL: 'redis://127.0.0.1:1',
        BRANCHPOINT_ADMIN_PASSWORD: 'admin',
        BP_JWT_SECRET: 'x'.repeat(40),
        BP_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
      },
      encoding: 'utf8',
      timeout: 120_000, // a loaded machine starts Node slowly; it exits at the check
    });
    expect(started.status).toBe(1);
    expect(started.stderr).toMatch(/BRANCHPOINT_ADMIN_PASSWORD must be at least 12 characters/);
  });
});

import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { freePort, startStack, type ApiClient, type Stack } from '@branchpoint/testing';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLONE_PORTS } from './support.js';

// Single sign-on through the real stack against a real OpenID provider (oidc-provider, started
// here): the browser's whole round trip over HTTP — start, the provider's sign-in and consent
// forms submitted as a person would, the callback, the UI's code exchange, /me — and what the
// control plane must refuse (foreign state, replays, a swapped nonce, code or PKCE challenge,
// an ID token signed by a key the provider does not publish).

const CLIENT_ID = 'branchpoint';
const CLIENT_SECRET = randomBytes(16).toString('hex');
const ADMIN_GROUP = 'bp-admins';

/** The provider's accounts, by the login typed into its form; tests change their groups. */
const accounts: Record<string, { preferred_username: string; groups: string[]; email?: string }> = {
  alice: { preferred_username: 'Alice.Smith', groups: ['staff'] },
  ops: { preferred_username: 'ops', groups: ['staff', ADMIN_GROUP] },
  carol: { preferred_username: 'carol', groups: [] },
  dora: { preferred_username: 'dora', groups: [] },
};

let stack: Stack;
let admin: ApiClient;
let issuer: string;
let providerServer: Server;
/** The provider that answers for the issuer now (its keys are published either way: see below). */
let answering: 'genuine' | 'impostor' = 'genuine';

/** A real OpenID provider for `issuer` that signs with a key of its own. */
function openIdProvider(redirectUri: string): Provider {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), use: 'sig' };
  return new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [signingKey] },
    // The control plane must prove the code with its verifier, even as a confidential client.
    pkce: { required: () => true },
    scopes: ['openid', 'profile', 'email', 'groups'],
    claims: {
      openid: ['sub'],
      profile: ['preferred_username'],
      email: ['email'],
      groups: ['groups'],
    },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
    findAccount: (_ctx, id) =>
      accounts[id]
        ? { accountId: id, claims: () => ({ sub: `subject-${id}`, ...accounts[id] }) }
        : undefined,
  });
}

beforeAll(async () => {
  const providerPort = await freePort();
  const port = await freePort();
  issuer = `http://127.0.0.1:${providerPort}`;
  const baseUrl = `http://127.0.0.1:${port}`;
  const redirectUri = `${baseUrl}/api/v1/auth/sso/callback`;
  const genuine = openIdProvider(redirectUri).callback();
  // Another provider with the same issuer name and client, but its own signing key: the tokens
  // it issues are well-formed, yet signed by no key the genuine provider's JWKS publishes.
  const impostor = openIdProvider(redirectUri).callback();
  providerServer = createServer((request, response) => {
    const jwks = request.url?.startsWith('/jwks');
    return (answering === 'genuine' || jwks ? genuine : impostor)(request, response);
  });
  await new Promise<void>((resolve) => providerServer.listen(providerPort, '127.0.0.1', resolve));

  stack = await startStack({
    project: 'oidc',
    clonePorts: CLONE_PORTS,
    port,
    backendEnv: {
      BP_OIDC_ISSUER: issuer,
      BP_OIDC_CLIENT_ID: CLIENT_ID,
      BP_OIDC_CLIENT_SECRET: CLIENT_SECRET,
      BP_OIDC_SCOPES: 'openid profile email groups',
      BP_OIDC_ADMIN_GROUP: ADMIN_GROUP,
      BP_OIDC_NAME: 'Test IdP',
      BP_PUBLIC_URL: baseUrl,
      // Lets one test start sign-ins from an address of its own (X-Forwarded-For).
      BP_TRUSTED_PROXIES: 'loopback',
    },
  });
  admin = stack.api;
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  providerServer?.closeAllConnections();
  await new Promise((resolve) => providerServer?.close(resolve));
});

interface Answer {
  status: number;
  location: string | null;
  text: string;
}

/** A browser: its own cookies per origin, redirects seen one by one. */
class Browser {
  private readonly cookies = new Map<string, Map<string, string>>();

  async get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
    return this.send(url, { method: 'GET', headers });
  }

  async post(url: string, form: Record<string, string>): Promise<Answer> {
    return this.send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  }

  /** GETs `url` and follows redirects until one leads to `stopAt` (not followed) or a page. */
  async follow(url: string, stopAt: string): Promise<{ url: string; answer: Answer }> {
    for (let hops = 0; hops < 20; hops++) {
      const answer = await this.get(url);
      if (answer.location === null) return { url, answer };
      url = new URL(answer.location, url).href;
      if (url.startsWith(stopAt)) return { url, answer };
    }
    throw new Error(`too many redirects, last ${url}`);
  }

  forget(origin: string): void {
    this.cookies.delete(origin);
  }

  private async send(url: string, init: RequestInit): Promise<Answer> {
    const origin = new URL(url).origin;
    const jar = this.cookies.get(origin) ?? new Map<string, string>();
    this.cookies.set(origin, jar);
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const [name = '', ...value] = pair.trim().split('=');
      const expired = attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value.join('=') === '') jar.delete(name);
      else jar.set(name, value.join('='));
    }
    return {
      status: response.status,
      location: response.headers.get('location'),
      text: await response.text(),
    };
  }
}

const callbackPrefix = () => `${stack.baseUrl}/api/v1/auth/sso/callback`;

/**
 * Starts a sign-in in `browser` and goes through the provider as `login` would, submitting its
 * sign-in and consent forms; answers the callback URL the provider sends the browser to (not
 * yet visited). `tamper` may change the authorization URL on its way to the provider.
 */
async function throughProvider(
  browser: Browser,
  login: string,
  tamper: (authorization: URL) => void = () => undefined,
  returnUrl?: string,
): Promise<{ callback: string; authorization: URL }> {
  const query = returnUrl ? `?returnUrl=${encodeURIComponent(returnUrl)}` : '';
  const start = await browser.get(`${stack.apiUrl}/auth/sso/start${query}`);
  expect(start.status).toBe(302);
  const authorization = new URL(start.location!);
  expect(authorization.origin).toBe(issuer);
  tamper(authorization);
  let { url, answer } = await browser.follow(authorization.href, callbackPrefix());
  // Each page of the provider is a form: sign-in first, then consent (once per account).
  for (let pages = 0; !url.startsWith(callbackPrefix()); pages++) {
    expect(pages).toBeLessThan(4);
    expect(answer.status).toBe(200);
    const action = /<form[^>]*action="([^"]+)"/.exec(answer.text)?.[1];
    const prompt = /name="prompt" value="([^"]+)"/.exec(answer.text)?.[1];
    expect(action, answer.text.slice(0, 500)).toBeTruthy();
    const fields: Record<string, string> =
      prompt === 'login' ? { prompt, login, password: 'anything' } : { prompt: prompt ?? '' };
    const submitted = await browser.post(new URL(action!, url).href, fields);
    expect(submitted.location, submitted.text.slice(0, 500)).toBeTruthy();
    const next = new URL(submitted.location!, url).href;
    ({ url, answer } = next.startsWith(callbackPrefix())
      ? { url: next, answer: submitted }
      : await browser.follow(next, callbackPrefix()));
  }
  return { callback: url, authorization };
}

/** The whole sign-in: provider, callback, then the UI's exchange of the one-time code. */
async function signIn(login: string, browser = new Browser(), returnUrl?: string) {
  const { callback, authorization } = await throughProvider(browser, login, undefined, returnUrl);
  const back = await browser.get(callback);
  expect(back.status, back.text).toBe(302);
  const ui = new URL(back.location!);
  expect(`${ui.origin}${ui.pathname}`).toBe(`${stack.baseUrl}/sign-in/sso`);
  // No token in the URL: only a one-time code, in the fragment (never sent to a server).
  expect(ui.search).toBe('');
  const fragment = new URLSearchParams(ui.hash.slice(1));
  const code = fragment.get('code')!;
  const exchanged = await admin
    .as(null)
    .request<{ accessToken: string; refreshToken: string }>('POST', '/auth/sso/session', { code });
  expect(exchanged.status, JSON.stringify(exchanged.body)).toBe(200);
  const api = admin.as(exchanged.body.accessToken);
  const me = await api.expect<{ id: string; username: string; role: string; disabled: boolean }>(
    200,
    'GET',
    '/me',
  );
  return { me, api, code, tokens: exchanged.body, authorization, fragment };
}

describe('single sign-on with a real OpenID provider', () => {
  it('tells the sign-in page it is on', async () => {
    const status = await admin.as(null).expect(200, 'GET', '/auth/sso');
    expect(status).toEqual({ enabled: true, name: 'Test IdP' });
  });

  it('creates the user on first sign-in with the default role; PKCE S256, state and nonce are sent; the code works once', async () => {
    const first = await signIn('alice', new Browser(), '/containers');
    expect(first.me).toMatchObject({ username: 'alice.smith', role: 'user', disabled: false });
    expect(first.fragment.get('returnUrl')).toBe('/containers');
    expect(first.tokens.refreshToken).toBeTruthy();
    const params = first.authorization.searchParams;
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get('state')).toBeTruthy();
    expect(params.get('nonce')).toBeTruthy();
    expect(params.get('redirect_uri')).toBe(callbackPrefix());

    const again = await admin.as(null).request<{ code: string }>('POST', '/auth/sso/session', {
      code: first.code,
    });
    expect(again).toMatchObject({ status: 401, body: { code: 'sso.code-invalid' } });

    // Signing in again finds the same account by its subject, not a new one.
    const second = await signIn('alice');
    expect(second.me.id).toBe(first.me.id);
    const users = await admin.expect<{ username: string }[]>(200, 'GET', '/users');
    expect(users.filter((user) => user.username.startsWith('alice'))).toHaveLength(1);
  });

  it('makes members of the admin group admins, and the role follows the group at each sign-in', async () => {
    const asMember = await signIn('ops');
    expect(asMember.me).toMatchObject({ username: 'ops', role: 'admin' });
    expect((await asMember.api.request('GET', '/audit')).status).toBe(200);

    accounts['ops']!.groups = ['staff'];
    const asFormerMember = await signIn('ops');
    expect(asFormerMember.me).toMatchObject({ id: asMember.me.id, role: 'user' });
    expect((await asFormerMember.api.request('GET', '/audit')).status).toBe(403);
  });

  it('never takes over a local account of the same name, and the SSO user has no password to log in with', async () => {
    const local = await stack.createUser('carol');
    const { me } = await signIn('carol');
    expect(me.username).toBe('carol-2');
    expect(me.id).not.toBe(local.id);
    for (const password of ['', 'anything-at-all'])
      expect(
        (await admin.as(null).request('POST', '/auth/login', { username: 'carol-2', password }))
          .status,
      ).toBeGreaterThanOrEqual(400);
    // Local accounts keep signing in with their passwords.
    expect((await local.api.request('GET', '/me')).status).toBe(200);
  });

  it('refuses a callback with another state, from another browser, or seen before (400)', async () => {
    const browser = new Browser();
    const { callback } = await throughProvider(browser, 'alice');
    const forged = new URL(callback);
    forged.searchParams.set('state', 'attacker-state');
    const wrongState = await browser.get(forged.href);
    expect(wrongState.status).toBe(400);
    expect(JSON.parse(wrongState.text)).toMatchObject({ code: 'sso.state-invalid' });

    // Another browser has not started this sign-in: a link sent to a victim does not sign them in.
    const victim = await new Browser().get(callback);
    expect(victim.status).toBe(400);
    expect(JSON.parse(victim.text)).toMatchObject({ code: 'sso.state-invalid' });

    const replayBrowser = new Browser();
    const { callback: genuine } = await throughProvider(replayBrowser, 'alice');
    const ok = await replayBrowser.get(genuine);
    expect(ok.status).toBe(302);
    const replayed = await replayBrowser.get(genuine);
    expect(replayed.status).toBe(400);
    // A person's browser asks for HTML: the same status, with a page saying what failed.
    const page = await replayBrowser.get(genuine, { accept: 'text/html,*/*;q=0.8' });
    expect(page.status).toBe(400);
    expect(page.text).toContain('Sign-in failed');
    expect(page.text).toContain('sso.state-invalid');
  });

  it('refuses an ID token with another nonce, a swapped code and a swapped PKCE challenge (401)', async () => {
    const nonce = new Browser();
    const { callback: withOtherNonce } = await throughProvider(nonce, 'alice', (url) =>
      url.searchParams.set('nonce', 'nonce-of-an-attacker'),
    );
    const nonceAnswer = await nonce.get(withOtherNonce);
    expect(nonceAnswer.status).toBe(401);
    expect(JSON.parse(nonceAnswer.text)).toMatchObject({ code: 'sso.callback-invalid' });
    expect(nonceAnswer.text).toMatch(/nonce/);

    const code = new Browser();
    const { callback } = await throughProvider(code, 'alice');
    const swapped = new URL(callback);
    swapped.searchParams.set('code', `${swapped.searchParams.get('code')}x`);
    const codeAnswer = await code.get(swapped.href);
    expect(codeAnswer.status).toBe(401);
    expect(JSON.parse(codeAnswer.text)).toMatchObject({ code: 'sso.callback-invalid' });

    // An attacker's challenge: the control plane's verifier does not match it.
    const pkce = new Browser();
    const { callback: withOtherChallenge } = await throughProvider(pkce, 'alice', (url) =>
      url.searchParams.set('code_challenge', 'A'.repeat(43)),
    );
    const pkceAnswer = await pkce.get(withOtherChallenge);
    expect(pkceAnswer.status).toBe(401);
    expect(JSON.parse(pkceAnswer.text)).toMatchObject({ code: 'sso.callback-invalid' });
    expect(pkceAnswer.text).toMatch(/invalid_grant/);
  });

  it('refuses a disabled user, and a sign-in the user cancelled at the provider', async () => {
    const { me } = await signIn('dora');
    await admin.expect(200, 'POST', `/users/${me.id}/disable`);
    const browser = new Browser();
    const { callback } = await throughProvider(browser, 'dora');
    const refused = await browser.get(callback);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.text)).toMatchObject({ code: 'auth.account-disabled' });

    // Cancelling at the provider's sign-in page comes back as an error, answered 401.
    const cancelling = new Browser();
    const start = await cancelling.get(`${stack.apiUrl}/auth/sso/start`);
    const { url, answer } = await cancelling.follow(start.location!, callbackPrefix());
    expect(answer.status).toBe(200);
    const abort = await cancelling.follow(`${url}/abort`, callbackPrefix());
    expect(abort.url.startsWith(callbackPrefix())).toBe(true);
    const cancelled = await cancelling.get(abort.url);
    expect(cancelled.status).toBe(401);
    expect(JSON.parse(cancelled.text)).toMatchObject({ code: 'sso.callback-invalid' });
    expect(cancelled.text).toMatch(/access_denied/);
  });

  it("refuses an ID token whose signature is not from the provider's published keys (401)", async () => {
    await signIn('alice'); // the provider's keys are known by now
    answering = 'impostor';
    try {
      const browser = new Browser();
      const { callback } = await throughProvider(browser, 'alice');
      const answer = await browser.get(callback);
      expect(answer.status).toBe(401);
      expect(JSON.parse(answer.text)).toMatchObject({ code: 'sso.callback-invalid' });
    } finally {
      answering = 'genuine';
    }
    expect((await signIn('alice')).me.username).toBe('alice.smith');
  });

  it('slows down an address that starts many sign-ins without finishing them (429)', async () => {
    const flooder = { 'x-forwarded-for': '192.0.2.99' };
    const browser = new Browser();
    const starts = await Promise.all(
      Array.from({ length: 101 }, () => browser.get(`${stack.apiUrl}/auth/sso/start`, flooder)),
    );
    // 100 free, and the one after them; then each must wait.
    expect(starts.map((answer) => answer.status)).toEqual(Array(101).fill(302));
    const refused = await fetch(`${stack.apiUrl}/auth/sso/start`, {
      redirect: 'manual',
      headers: flooder,
    });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ code: 'auth.too-many-logins' });
    // Everyone else signs in as before.
    expect((await signIn('alice')).me.username).toBe('alice.smith');
  });

  it('answers clearly when single sign-on is off', async () => {
    await stack.restartBackend('SIGTERM', undefined, { BP_OIDC_ISSUER: '' });
    const anonymous = admin.as(null);
    expect(await anonymous.expect(200, 'GET', '/auth/sso')).toEqual({ enabled: false });
    const start = await new Browser().get(`${stack.apiUrl}/auth/sso/start`);
    expect(start.status).toBe(404);
    expect(JSON.parse(start.text)).toMatchObject({
      code: 'sso.disabled',
      message: expect.stringMatching(/BP_OIDC_ISSUER/),
    });
    expect(
      await anonymous.request('POST', '/auth/sso/session', { code: 'whatever' }),
    ).toMatchObject({ status: 404, body: { code: 'sso.disabled' } });
    // Password login is untouched.
    expect(
      (
        await anonymous.request('POST', '/auth/login', {
          username: 'admin',
          password: stack.adminPassword,
        })
      ).status,
    ).toBe(200);
  });
});

import type { LookupAddress } from 'node:dns';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AllowEntry, parseAllowEntry } from '../common/outbound-address.js';
import { checkUrl, guardedLookup, OutboundRefusedError, type Resolver } from './outbound-fence.js';
import { postGuarded } from './outbound-post.js';

function rules(...texts: string[]): AllowEntry[] {
  return texts.map((text) => {
    const parsed = parseAllowEntry(text);
    if ('problem' in parsed) throw new Error(parsed.problem);
    return parsed;
  });
}

/** A resolver answering from a table; each call takes the next answer of a name (the last stays). */
function fakeResolver(answers: Record<string, string[][]>): Resolver & { calls: string[] } {
  const calls: string[] = [];
  const resolver = (hostname: string): Promise<LookupAddress[]> => {
    calls.push(hostname);
    const list = answers[hostname];
    if (!list) return Promise.reject(Object.assign(new Error('nope'), { code: 'ENOTFOUND' }));
    const answer = list.length > 1 ? list.shift()! : list[0]!;
    return Promise.resolve(
      answer.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    );
  };
  return Object.assign(resolver, { calls });
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OutboundRefusedError);
  return (error as Error).message;
}

describe('checkUrl', () => {
  const resolver = fakeResolver({
    'public.example': [['93.184.216.34']],
    'internal.example': [['10.0.0.5']],
    'mixed.example': [['93.184.216.34', '127.0.0.1']],
    'meta.example': [['169.254.169.254']],
    'v6meta.example': [['fd00:ec2::254']],
    'mapped.example': [['::ffff:127.0.0.1']],
    'hooks.internal': [['10.9.9.9']],
  });

  it('accepts a name that resolves to public addresses only', async () => {
    await checkUrl('https://public.example/hook', [], resolver);
  });

  it('refuses literals of every forbidden kind, in any spelling, naming the kind', async () => {
    expect(await refusal(checkUrl('http://127.0.0.1:8080/x', [], resolver))).toBe(
      '127.0.0.1 is a loopback address',
    );
    expect(await refusal(checkUrl('http://2130706433/', [], resolver))).toMatch(/loopback/);
    expect(await refusal(checkUrl('http://0x7f.0.0.1/', [], resolver))).toMatch(/loopback/);
    expect(await refusal(checkUrl('http://[::1]/', [], resolver))).toBe(
      '::1 is a loopback address',
    );
    expect(await refusal(checkUrl('http://[::ffff:a9fe:a9fe]/', [], resolver))).toMatch(
      /cloud metadata/,
    );
    expect(await refusal(checkUrl('http://10.0.0.1/', [], resolver))).toMatch(/private/);
    expect(await refusal(checkUrl('http://169.254.169.254/latest', [], resolver))).toBe(
      '169.254.169.254 is a cloud metadata address',
    );
    expect(await refusal(checkUrl('http://100.64.1.1/', [], resolver))).toMatch(/carrier-grade/);
    expect(await refusal(checkUrl('http://[fe80::1]/', [], resolver))).toMatch(/link-local/);
    expect(await refusal(checkUrl('http://0.0.0.0/', [], resolver))).toMatch(/unspecified/);
    expect(await refusal(checkUrl('http://224.0.0.1/', [], resolver))).toMatch(/multicast/);
    expect(await refusal(checkUrl('ftp://example.com/', [], resolver))).toMatch(/http or https/);
  });

  it('refuses names that resolve to a forbidden address, any of them, without naming it', async () => {
    expect(await refusal(checkUrl('http://internal.example/', [], resolver))).toBe(
      'internal.example resolves to a private address',
    );
    expect(await refusal(checkUrl('http://mixed.example/', [], resolver))).toBe(
      'mixed.example resolves to a loopback address',
    );
    expect(await refusal(checkUrl('http://meta.example/', [], resolver))).toMatch(/metadata/);
    expect(await refusal(checkUrl('http://v6meta.example/', [], resolver))).toMatch(/metadata/);
    expect(await refusal(checkUrl('http://mapped.example/', [], resolver))).toMatch(/loopback/);
    expect(await refusal(checkUrl('http://nowhere.example/', [], resolver))).toBe(
      'nowhere.example does not resolve',
    );
  });

  it('the real resolver: localhost is loopback', async () => {
    expect(await refusal(checkUrl('http://localhost:9/x', []))).toBe(
      'localhost resolves to a loopback address',
    );
  });

  it('lets through what an admin allowed: a range, or a host name whatever it resolves to', async () => {
    await checkUrl('http://127.0.0.1:8080/', rules('127.0.0.0/8'), resolver);
    await checkUrl('http://internal.example/', rules('10.0.0.0/24'), resolver);
    await checkUrl('http://hooks.internal/', rules('hooks.internal'), resolver);
    expect(await refusal(checkUrl('http://10.0.1.1/', rules('10.0.0.0/24'), resolver))).toMatch(
      /private/,
    );
  });
});

describe('guardedLookup', () => {
  const lookup = (resolver: Resolver, all: boolean, allow: AllowEntry[] = []) =>
    new Promise<unknown>((resolve, reject) =>
      guardedLookup(allow, resolver)('rebind.example', { all }, (error, address) =>
        error ? reject(error) : resolve(address),
      ),
    );

  it('answers in the form asked for, and refuses any forbidden address it resolved', async () => {
    const resolver = fakeResolver({
      'rebind.example': [['93.184.216.34'], ['93.184.216.34', '10.0.0.1']],
    });
    expect(await lookup(resolver, false)).toBe('93.184.216.34');
    await expect(lookup(resolver, true)).rejects.toThrow(
      'rebind.example resolves to a private address',
    );
  });
});

describe('postGuarded', () => {
  let server: Server;
  let port: number;
  const hits: string[] = [];
  let status = 204;

  beforeAll(async () => {
    server = createServer((request, response) => {
      hits.push(request.url ?? '');
      request.resume().on('end', () => response.writeHead(status).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const post = (url: string, allow: AllowEntry[], resolve?: Resolver, timeoutMs = 5_000) =>
    postGuarded(url, { headers: {}, body: '{}', timeoutMs, rules: allow, resolve });

  it('a name public when checked and loopback when connecting (DNS rebinding) reaches nothing', async () => {
    const resolver = fakeResolver({ 'rebind.example': [['93.184.216.34'], ['127.0.0.1']] });
    const url = `http://rebind.example:${port}/rebound`;
    await checkUrl(url, [], resolver);
    const result = await post(url, [], resolver);
    expect(result.outcome).toBe('address-refused');
    expect(result.detail).toBe('rebind.example resolves to a loopback address');
    expect(resolver.calls).toEqual(['rebind.example', 'rebind.example']);
    expect(hits).not.toContain('/rebound');
  });

  it('refuses literal addresses before connecting, and delivers to allowed ones', async () => {
    expect((await post(`http://127.0.0.1:${port}/literal`, [])).outcome).toBe('address-refused');
    expect((await post(`http://[::ffff:127.0.0.1]:${port}/mapped`, [])).outcome).toBe(
      'address-refused',
    );
    expect(hits).toEqual([]);
    expect(await post(`http://127.0.0.1:${port}/allowed`, rules('127.0.0.1'))).toEqual({
      outcome: 'ok',
      detail: 'HTTP 204',
      status: 204,
    });
    const resolver = fakeResolver({ 'hooks.internal': [['127.0.0.1']] });
    expect(
      (await post(`http://hooks.internal:${port}/named`, rules('hooks.internal'), resolver))
        .outcome,
    ).toBe('ok');
    expect(hits).toEqual(['/allowed', '/named']);
  });

  it('sorts failures into categories and follows no redirect', async () => {
    const allow = rules('127.0.0.0/8');
    status = 302;
    expect((await post(`http://127.0.0.1:${port}/moved`, allow)).outcome).toBe('http-3xx');
    status = 404;
    expect((await post(`http://127.0.0.1:${port}/x`, allow)).outcome).toBe('http-4xx');
    status = 503;
    expect(await post(`http://127.0.0.1:${port}/x`, allow)).toEqual({
      outcome: 'http-5xx',
      detail: 'HTTP 503',
      status: 503,
    });
    expect((await post('http://127.0.0.1:1/', allow)).outcome).toBe('connection-refused');
    const none = fakeResolver({});
    expect((await post('http://nowhere.example/', [], none)).outcome).toBe('dns-failed');
    // A server that never answers.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentPort = (silent.address() as AddressInfo).port;
    expect((await post(`http://127.0.0.1:${silentPort}/`, allow, undefined, 300)).outcome).toBe(
      'timeout',
    );
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
    // Plain HTTP spoken to where TLS is expected.
    expect((await post(`https://127.0.0.1:${port}/`, allow)).outcome).toBe('tls-failed');
  });
});

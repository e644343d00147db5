import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  deliveryIdOf,
  ForgeEventError,
  parseForgeEvent,
  verifyForgeWebhook,
} from './forge-events.js';

const SECRET = 'prsec_test';
const body = (value: unknown) => Buffer.from(JSON.stringify(value));
const githubSignature = (raw: Buffer, secret = SECRET) =>
  `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;

describe('verifyForgeWebhook', () => {
  const raw = body({ action: 'opened' });

  it('accepts a GitHub body signed with the secret, and nothing else', () => {
    const valid = { 'x-hub-signature-256': githubSignature(raw) };
    expect(verifyForgeWebhook('github', valid, raw, SECRET)).toBe(true);
    expect(verifyForgeWebhook('github', valid, body({ action: 'closed' }), SECRET)).toBe(false);
    expect(
      verifyForgeWebhook(
        'github',
        { 'x-hub-signature-256': githubSignature(raw, 'other') },
        raw,
        SECRET,
      ),
    ).toBe(false);
    expect(verifyForgeWebhook('github', { 'x-hub-signature-256': 'sha256=00' }, raw, SECRET)).toBe(
      false,
    );
    expect(verifyForgeWebhook('github', {}, raw, SECRET)).toBe(false);
    // GitLab's header does not pass for a GitHub configuration.
    expect(verifyForgeWebhook('github', { 'x-gitlab-token': SECRET }, raw, SECRET)).toBe(false);
  });

  it('accepts a GitLab token equal to the secret, and nothing else', () => {
    expect(verifyForgeWebhook('gitlab', { 'x-gitlab-token': SECRET }, raw, SECRET)).toBe(true);
    expect(verifyForgeWebhook('gitlab', { 'x-gitlab-token': `${SECRET}x` }, raw, SECRET)).toBe(
      false,
    );
    expect(verifyForgeWebhook('gitlab', { 'x-gitlab-token': '' }, raw, SECRET)).toBe(false);
    expect(verifyForgeWebhook('gitlab', {}, raw, SECRET)).toBe(false);
  });
});

describe('deliveryIdOf', () => {
  it("uses the forge's delivery id, else the body's hash", () => {
    const raw = body({});
    expect(deliveryIdOf('github', { 'x-github-delivery': 'abc' }, raw)).toBe('abc');
    expect(deliveryIdOf('gitlab', { 'x-gitlab-event-uuid': 'u1' }, raw)).toBe('u1');
    expect(deliveryIdOf('gitlab', {}, raw)).toBe(deliveryIdOf('gitlab', {}, body({})));
    expect(deliveryIdOf('gitlab', {}, raw)).not.toBe(deliveryIdOf('gitlab', {}, body({ a: 1 })));
  });
});

describe('parseForgeEvent: GitHub', () => {
  const pr = (action: string, labels: string[] = []) =>
    body({
      action,
      number: 7,
      pull_request: { number: 7, labels: labels.map((name) => ({ name })) },
    });
  const parse = (event: string, raw: Buffer) =>
    parseForgeEvent('github', { 'x-github-event': event }, raw);

  it.each([
    ['opened', 'open'],
    ['reopened', 'open'],
    ['labeled', 'label'],
    ['synchronize', 'push'],
    ['closed', 'close'],
  ])('reads pull_request %s as %s', (action, expected) => {
    expect(parse('pull_request', pr(action, ['db']))).toEqual({
      kind: 'change',
      change: { number: 7, action: expected, labels: ['db'] },
    });
  });

  it('ignores other events and actions, saying which', () => {
    expect(parse('ping', body({ zen: 'x' }))).toMatchObject({ kind: 'ignored', reason: /ping/ });
    expect(parse('push', body({}))).toMatchObject({ kind: 'ignored', reason: /"push"/ });
    expect(parse('pull_request', pr('edited'))).toMatchObject({
      kind: 'ignored',
      reason: /"edited"/,
    });
  });

  it('refuses malformed bodies, naming the problem', () => {
    expect(() => parse('pull_request', Buffer.from('not json'))).toThrow(/not JSON/);
    expect(() => parse('pull_request', body([1]))).toThrow(/body must be an object/);
    expect(() => parse('pull_request', body({ action: 'opened' }))).toThrow(/pull_request must be/);
    expect(() =>
      parse('pull_request', body({ action: 'opened', pull_request: { number: -1 } })),
    ).toThrow(/number must be a positive integer/);
    expect(() =>
      parse('pull_request', body({ action: 'opened', pull_request: { number: 1, labels: [{}] } })),
    ).toThrow(/labels\[0\]\.name/);
    expect(() => parseForgeEvent('github', {}, pr('opened'))).toThrow(ForgeEventError);
  });
});

describe('parseForgeEvent: GitLab', () => {
  const mr = (attributes: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    body({
      object_kind: 'merge_request',
      object_attributes: { iid: 3, ...attributes },
      labels: [{ title: 'db' }],
      ...extra,
    });
  const parse = (raw: Buffer, event = 'Merge Request Hook') =>
    parseForgeEvent('gitlab', { 'x-gitlab-event': event }, raw);

  it.each([
    ['open', 'open'],
    ['reopen', 'open'],
    ['close', 'close'],
    ['merge', 'close'],
  ])('reads %s as %s', (action, expected) => {
    expect(parse(mr({ action }))).toEqual({
      kind: 'change',
      change: { number: 3, action: expected, labels: ['db'] },
    });
  });

  it('tells new commits from a label change in an update', () => {
    expect(parse(mr({ action: 'update', oldrev: 'abc' }))).toMatchObject({
      change: { action: 'push' },
    });
    expect(
      parse(mr({ action: 'update' }, { changes: { labels: { previous: [], current: [] } } })),
    ).toMatchObject({
      change: { action: 'label' },
    });
    expect(parse(mr({ action: 'update' }, { changes: { title: {} } }))).toMatchObject({
      kind: 'ignored',
    });
  });

  it('ignores other hooks and refuses malformed ones', () => {
    expect(parse(body({}), 'Push Hook')).toMatchObject({ kind: 'ignored', reason: /Push Hook/ });
    expect(() => parse(body({ object_attributes: { action: 'open' } }))).toThrow(/iid/);
    expect(() => parse(mr({ action: 5 }))).toThrow(/action must be a string/);
  });
});

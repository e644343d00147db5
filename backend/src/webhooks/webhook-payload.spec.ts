import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { escapeSlack, renderBody, sign, summary } from './webhook-payload.js';

const occurredAt = new Date('2030-01-01T00:00:00Z');
const data = { bookmarkId: 'b1', name: 'edge case', containerId: 'c1', sharedBy: 'alice' };

describe('webhook payloads', () => {
  it('signs timestamp and body with HMAC-SHA256', () => {
    const expected = createHmac('sha256', 'secret').update('1700000000.{"a":1}').digest('hex');
    expect(sign('secret', '1700000000', '{"a":1}')).toBe(`sha256=${expected}`);
    expect(sign('other', '1700000000', '{"a":1}')).not.toBe(`sha256=${expected}`);
    expect(sign('secret', '1700000001', '{"a":1}')).not.toBe(`sha256=${expected}`);
  });

  it('renders the generic JSON envelope', () => {
    const body = JSON.parse(
      renderBody('json', { id: 'd1', event: 'bookmark.shared', occurredAt, data }),
    ) as Record<string, unknown>;
    expect(body).toEqual({
      id: 'd1',
      event: 'bookmark.shared',
      occurredAt: '2030-01-01T00:00:00.000Z',
      text: 'alice shared the Branchpoint bookmark "edge case" with you',
      data,
    });
  });

  it('renders a Slack-compatible text message', () => {
    const body = renderBody('slack', {
      id: 'd1',
      event: 'job.failed',
      occurredAt,
      data: { jobId: 'j1', type: 'create-container', containerId: null, error: 'disk full' },
    });
    expect(JSON.parse(body)).toEqual({
      text: 'Branchpoint job create-container (j1) failed: disk full',
    });
  });

  it("escapes user text in Slack messages by Slack's rules: no mention, link or command", () => {
    expect(escapeSlack('a & b <!channel> <@U123|x> <https://evil.example|click>')).toBe(
      'a &amp; b &lt;!channel&gt; &lt;@U123|x&gt; &lt;https://evil.example|click&gt;',
    );
    // Already-escaped text is escaped again, so it shows as typed.
    expect(escapeSlack('&lt;')).toBe('&amp;lt;');
    const shared = {
      bookmarkId: 'b1',
      name: '<!here> see <https://evil.example|this>',
      containerId: 'c1',
      sharedBy: '<@U0ADMIN>',
    };
    const slack = JSON.parse(
      renderBody('slack', { id: 'd1', event: 'bookmark.shared', occurredAt, data: shared }),
    ) as { text: string };
    expect(slack.text).toBe(
      '&lt;@U0ADMIN&gt; shared the Branchpoint bookmark "&lt;!here&gt; see &lt;https://evil.example|this&gt;" with you',
    );
    expect(slack.text).not.toMatch(/[<>]/);
    const expired = JSON.parse(
      renderBody('slack', {
        id: 'd2',
        event: 'expiry.blocked',
        occurredAt,
        data: {
          kind: 'container',
          id: 'c',
          name: 'qa <!channel>',
          containerId: 'c',
          expiresAt: '2030-01-01T00:00:00Z',
          reason: 'bookmark "<@U1>" is shared',
        },
      }),
    ) as { text: string };
    expect(expired.text).not.toMatch(/[<>]/);
    const failed = JSON.parse(
      renderBody('slack', {
        id: 'd3',
        event: 'job.failed',
        occurredAt,
        data: { jobId: 'j', type: 'x', containerId: null, error: 'name "a&b>" taken' },
      }),
    ) as { text: string };
    expect(failed.text).toBe('Branchpoint job x (j) failed: name "a&amp;b&gt;" taken');
    // The JSON format keeps the text as it was: it is not Slack markup.
    const json = JSON.parse(
      renderBody('json', { id: 'd1', event: 'bookmark.shared', occurredAt, data: shared }),
    ) as { text: string; data: typeof shared };
    expect(json.text).toContain('<!here>');
    expect(json.data).toEqual(shared);
  });

  it('summarizes every event', () => {
    expect(summary('host.down', { hostId: 'h', name: 'zfs1', error: 'timeout' })).toMatch(
      /host zfs1 is down: timeout/,
    );
    expect(
      summary('expiry.expired', { kind: 'container', id: 'c', name: 'qa', containerId: 'c' }),
    ).toMatch(/container "qa" expired/);
    expect(
      summary('expiry.blocked', {
        kind: 'branch',
        id: 'b',
        name: 'main',
        containerId: 'c',
        expiresAt: '2030-01-01T00:00:00Z',
        reason: 'branch "main" is active',
      }),
    ).toMatch(/branch "main" expired but is kept: branch "main" is active/);
    expect(
      summary('expiry.soon', {
        kind: 'bookmark',
        id: 'b',
        name: 'x',
        containerId: 'c',
        expiresAt: '2030-01-01T00:00:00Z',
      }),
    ).toMatch(/bookmark "x" expires at 2030/);
  });
});

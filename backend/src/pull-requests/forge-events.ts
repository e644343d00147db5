import { createHash, createHmac } from 'node:crypto';
import { sameSecret } from '../common/same-secret.js';
import type { Forge } from '../database/entities/pull-request-config.entity.js';
import type { PullRequestAction } from '../database/entities/pull-request-event.entity.js';

/** A pull request's event as both forges' webhooks come down to. */
export interface PullRequestChange {
  number: number;
  action: PullRequestAction;
  labels: string[];
}

/** What an inbound webhook asks for: a change to a pull request, or nothing (and why). */
export type ForgeEvent =
  { kind: 'change'; change: PullRequestChange } | { kind: 'ignored'; reason: string };

/** An inbound webhook that is not JSON or lacks its event's fields: a 400 naming the problem. */
export class ForgeEventError extends Error {}

/** Headers by lower-case name, as Node gives them. */
export type InboundHeaders = Record<string, string | string[] | undefined>;

function header(headers: InboundHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Whether the webhook comes from the forge holding the secret: GitHub signs the raw body
 * (X-Hub-Signature-256: sha256=<HMAC-SHA256 hex>); GitLab sends the secret itself (X-Gitlab-Token).
 */
export function verifyForgeWebhook(
  forge: Forge,
  headers: InboundHeaders,
  rawBody: Buffer,
  secret: string,
): boolean {
  if (forge === 'gitlab') {
    const token = header(headers, 'x-gitlab-token');
    return token !== undefined && sameSecret(token, secret);
  }
  const signature = header(headers, 'x-hub-signature-256');
  if (signature === undefined) return false;
  const expected = `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
  return sameSecret(signature, expected);
}

/** The forge's id of this delivery (the same on a redelivery), or the body's hash without one. */
export function deliveryIdOf(forge: Forge, headers: InboundHeaders, rawBody: Buffer): string {
  const given =
    forge === 'github'
      ? header(headers, 'x-github-delivery')
      : (header(headers, 'x-gitlab-event-uuid') ?? header(headers, 'idempotency-key'));
  if (given && given.length <= 128) return given;
  return `sha256:${createHash('sha256').update(rawBody).digest('hex')}`;
}

const GITHUB_ACTIONS: Readonly<Record<string, PullRequestAction>> = {
  opened: 'open',
  reopened: 'open',
  labeled: 'label',
  synchronize: 'push',
  closed: 'close',
};

const GITLAB_ACTIONS: Readonly<Record<string, PullRequestAction>> = {
  open: 'open',
  reopen: 'open',
  close: 'close',
  merge: 'close',
};

type Json = Record<string, unknown>;

function object(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ForgeEventError(`${what} must be an object`);
  return value as Json;
}

function positiveInteger(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
    throw new ForgeEventError(`${what} must be a positive integer`);
  return value;
}

/** Label names from `[{<key>: name}]`; anything else there is a malformed event. */
function labelNames(value: unknown, key: 'name' | 'title', what: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ForgeEventError(`${what} must be an array`);
  return value.map((label, i) => {
    const name = object(label, `${what}[${i}]`)[key];
    if (typeof name !== 'string')
      throw new ForgeEventError(`${what}[${i}].${key} must be a string`);
    return name;
  });
}

function parseJson(rawBody: Buffer): Json {
  try {
    return object(JSON.parse(rawBody.toString('utf8')), 'the body');
  } catch (error) {
    if (error instanceof ForgeEventError) throw error;
    throw new ForgeEventError(
      'the body is not JSON (set the webhook content type to application/json)',
    );
  }
}

/** Reads a verified webhook into the change it asks for; throws ForgeEventError when malformed. */
export function parseForgeEvent(
  forge: Forge,
  headers: InboundHeaders,
  rawBody: Buffer,
): ForgeEvent {
  return forge === 'github' ? parseGithub(headers, rawBody) : parseGitlab(headers, rawBody);
}

function parseGithub(headers: InboundHeaders, rawBody: Buffer): ForgeEvent {
  const event = header(headers, 'x-github-event');
  if (!event) throw new ForgeEventError('the X-GitHub-Event header is missing');
  const body = parseJson(rawBody);
  if (event === 'ping') return { kind: 'ignored', reason: 'ping: the webhook is set up' };
  if (event !== 'pull_request')
    return { kind: 'ignored', reason: `event "${event}" is not handled (only pull_request)` };
  if (typeof body['action'] !== 'string') throw new ForgeEventError('action must be a string');
  const action = GITHUB_ACTIONS[body['action']];
  if (!action)
    return { kind: 'ignored', reason: `pull_request action "${body['action']}" is not handled` };
  const pull = object(body['pull_request'], 'pull_request');
  return {
    kind: 'change',
    change: {
      number: positiveInteger(pull['number'], 'pull_request.number'),
      action,
      labels: labelNames(pull['labels'], 'name', 'pull_request.labels'),
    },
  };
}

function parseGitlab(headers: InboundHeaders, rawBody: Buffer): ForgeEvent {
  const event = header(headers, 'x-gitlab-event');
  if (!event) throw new ForgeEventError('the X-Gitlab-Event header is missing');
  const body = parseJson(rawBody);
  if (event !== 'Merge Request Hook')
    return { kind: 'ignored', reason: `event "${event}" is not handled (only Merge Request Hook)` };
  const attributes = object(body['object_attributes'], 'object_attributes');
  const number = positiveInteger(attributes['iid'], 'object_attributes.iid');
  const labels = labelNames(body['labels'], 'title', 'labels');
  const name = attributes['action'];
  if (typeof name !== 'string')
    throw new ForgeEventError('object_attributes.action must be a string');
  let action = GITLAB_ACTIONS[name];
  if (name === 'update') {
    // An update is new commits (oldrev names the previous head) or a change of labels.
    const changes = body['changes'] === undefined ? {} : object(body['changes'], 'changes');
    if (typeof attributes['oldrev'] === 'string') action = 'push';
    else if (changes['labels'] !== undefined) action = 'label';
    else
      return {
        kind: 'ignored',
        reason: 'merge request update with neither new commits nor labels',
      };
  }
  if (!action) return { kind: 'ignored', reason: `merge request action "${name}" is not handled` };
  return { kind: 'change', change: { number, action, labels } };
}

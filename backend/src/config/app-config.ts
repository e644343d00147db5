import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { bugUrlPatternProblem } from '../common/bug-ref.js';
import type { Role } from '../common/current-user.js';
import { passwordProblem } from '../common/password-policy.js';
import { type AllowEntry, parseAllowEntry } from '../common/outbound-address.js';
import { KEY_BYTES } from '../common/secret-box.js';

/** The control plane's whole configuration, validated once at start and injected where needed. */
export class AppConfig {
  port!: number;
  databaseUrl!: string;
  redisUrl!: string;
  /** Prefix of every BullMQ and lock key, so several stacks can share one Redis. */
  queuePrefix!: string;
  adminPassword!: string;
  jwtSecret!: string;
  /**
   * Keys encrypting agent tokens, webhook secrets, source connection strings and container
   * passwords at rest: BP_SECRET_KEY first, then BP_SECRET_KEY_PREVIOUS if set.
   */
  secretKeys!: Buffer[];
  /** Access tokens are short: a session's refresh token renews them, and ending it ends them soon. */
  accessTokenTtlSeconds!: number;
  /** A session unused this long ends (its refresh token expires); each refresh moves the end on. */
  refreshTokenTtlSeconds!: number;
  /**
   * Proxies whose X-Forwarded-For is believed (addresses or CIDR ranges), so that login limits
   * count the client's address and not the proxy's; empty: the socket's address is the client.
   */
  trustedProxies!: string[];
  /** Origins of other sites allowed to call the API from a browser; empty: none (same origin only). */
  corsOrigins!: string[];
  /** Directory of the built frontend served at `/`; null when it does not exist. */
  uiDir!: string | null;
  /** The installable CLI (`npm pack` of cli/, built by its `npm run build`) served at /api/v1/cli/branchpoint.tgz. */
  cliPackage!: string;
  logLevel!: string;
  hostPollIntervalMs!: number;
  reconcileIntervalMs!: number;
  /** How often every host's catalog records (`branchpoint:catalog`) are brought in line with the catalog. */
  catalogMirrorMs!: number;
  /** Optional bearer token that may read `/api/v1/metrics` besides admins. */
  metricsToken!: string | null;
  /**
   * `all`: serve the API and run jobs and periodic work (host polls, reconciliation, expiry);
   * `api`: serve the API only, for replicas next to dedicated workers.
   */
  role!: 'all' | 'api';
  /** Operations that may run at once, on different containers. */
  workerConcurrency!: number;
  /**
   * How long a running job's queue lock lasts without renewal: a job whose control plane died
   * runs again on one that lives (or on the restarted one) this long after the death.
   */
  jobLockMs!: number;
  agentTimeoutMs!: number;
  /** How often the scheduled sweep looks for expired containers, branches and bookmarks. */
  expirySweepMs!: number;
  /** How long before expiry owners are warned, until admins set the policy's warningLead. */
  expiryWarningMs!: number;
  /** Turns bookmark bug keys into links, e.g. `https://jira.example.com/browse/{key}`; null: keys stay plain. */
  bugUrlPattern!: string | null;
  /** Containers whose databases had no client this long are stopped; 0 turns the idle stop off. */
  idleStopMs!: number;
  /** How often the idle stop asks the agents for activity. */
  idleCheckMs!: number;
  /** How often container schedules are looked at (stops and starts happen within this of their time). */
  scheduleCheckMs!: number;
  /** Tests only: `PUT /test/fault` may arm a step at which the process kills itself. */
  faultInjection!: boolean;
  /** Single sign-on through an OpenID Connect provider; null (off) when BP_OIDC_ISSUER is unset. */
  sso!: SsoConfig | null;
  /**
   * Hosts and ranges webhooks may reach although they are loopback, private, link-local or
   * metadata addresses (BP_OUTBOUND_ALLOW), besides those admins allow through the API.
   */
  outboundAllow!: AllowEntry[];
  /** How many webhooks one user may have. */
  webhooksPerUser!: number;
  /** Deliveries kept per webhook (the newest); older ones are deleted. */
  webhookDeliveriesKept!: number;
}

/** The OpenID Connect provider this control plane signs users in with (BP_OIDC_*). */
export interface SsoConfig {
  issuer: string;
  clientId: string;
  /** Null: a public client, which proves itself with PKCE alone. */
  clientSecret: string | null;
  scopes: string;
  /** Role of a user created on first sign-in who is not in the admin group. */
  defaultRole: Role;
  /** Members of this group are admins, others get the default role, at every sign-in; null: roles stay as set. */
  adminGroup: string | null;
  groupsClaim: string;
  usernameClaim: string;
  /** The provider's name on the sign-in button. */
  displayName: string;
  /** Where browsers reach the control plane (BP_PUBLIC_URL), without a trailing slash. */
  publicUrl: string;
}

export class ConfigError extends Error {}

/** Signing keys shorter than this are guessable offline from one token (HS256). */
export const MIN_JWT_SECRET_BYTES = 32;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

type Env = Record<string, string | undefined>;

// Each variable's rule. Messages follow the variable's name ("PORT must be …"); an empty value
// counts as unset, as shells and systemd units write them.
const unset = (raw: string | undefined): raw is undefined | '' => raw === undefined || raw === '';

function integer(fallback: number, min: number, max: number) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (unset(raw)) return fallback;
      const value = Number(raw);
      if (Number.isInteger(value) && value >= min && value <= max) return value;
      ctx.addIssue({
        code: 'custom',
        message: `must be an integer between ${min} and ${max}, got "${raw}"`,
      });
      return z.NEVER;
    });
}

function url(protocols: string[], purpose = `${protocols.join(' or ')} URL`) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (unset(raw)) {
        ctx.addIssue({ code: 'custom', message: `is required (${purpose})` });
        return z.NEVER;
      }
      let protocol: string;
      try {
        protocol = new URL(raw).protocol;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'is not a valid URL' });
        return z.NEVER;
      }
      if (!protocols.includes(protocol))
        ctx.addIssue({
          code: 'custom',
          message: `must use ${protocols.join(' or ')}, got "${protocol}"`,
        });
      return raw;
    });
}

/** A key of KEY_BYTES in standard or URL-safe base64 (openssl's output, or the dev stack's secrets). */
function secretKey(required: string | null) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (unset(raw)) {
        if (required) ctx.addIssue({ code: 'custom', message: `is required (${required})` });
        return null;
      }
      const key = Buffer.from(raw, 'base64');
      if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(raw) && key.length === KEY_BYTES) return key;
      ctx.addIssue({
        code: 'custom',
        message: `must be ${KEY_BYTES} bytes in base64 (openssl rand -base64 32)`,
      });
      return null;
    });
}

function optionalText() {
  return z
    .string()
    .optional()
    .transform((raw) => (unset(raw) ? null : raw));
}

/** What Express's `trust proxy` accepts: an address, a CIDR range or a named range. */
function isProxyAddress(text: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(text)) return true;
  const [address = '', bits, ...rest] = text.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/** A comma-separated list; empty when unset. */
function list() {
  return z
    .string()
    .optional()
    .transform((raw) =>
      unset(raw)
        ? []
        : raw
            .split(',')
            .map((item) => item.trim())
            .filter((item) => item !== ''),
    );
}

function choice<const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (unset(raw)) return fallback;
      if ((values as readonly string[]).includes(raw)) return raw as T[number];
      ctx.addIssue({
        code: 'custom',
        message: `must be ${values.map((v) => `"${v}"`).join(' or ')}, got "${raw}"`,
      });
      return z.NEVER;
    });
}

const EnvSchema = z.object({
  PORT: integer(3000, 0, 65535),
  DATABASE_URL: url(['postgres:', 'postgresql:']),
  REDIS_URL: url(['redis:', 'rediss:']),
  BP_QUEUE_PREFIX: optionalText().pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'may hold only letters, digits, "_" and "-"')
      .nullable(),
  ),
  BRANCHPOINT_ADMIN_PASSWORD: optionalText().superRefine((value, ctx) => {
    const problem =
      value === null
        ? 'is required (password of the "admin" account created on first start)'
        : passwordProblem(value, 'admin');
    if (problem) ctx.addIssue({ code: 'custom', message: problem.replace(/^password /, '') });
  }),
  // Required: with a known or short key, anyone could sign an admin's access token.
  BP_JWT_SECRET: optionalText().superRefine((value, ctx) => {
    if (value === null)
      ctx.addIssue({
        code: 'custom',
        message: `is required (at least ${MIN_JWT_SECRET_BYTES} bytes, e.g. openssl rand -base64 32; the same on every replica)`,
      });
    else if (Buffer.byteLength(value) < MIN_JWT_SECRET_BYTES)
      ctx.addIssue({
        code: 'custom',
        message: `must be at least ${MIN_JWT_SECRET_BYTES} bytes (openssl rand -base64 32)`,
      });
  }),
  BP_SECRET_KEY: secretKey(
    '32 bytes in base64, e.g. openssl rand -base64 32; it encrypts agent tokens, connection strings and passwords in the metadata database',
  ),
  BP_SECRET_KEY_PREVIOUS: secretKey(null),
  BP_ACCESS_TOKEN_TTL: integer(15 * 60, 30, 86400),
  BP_REFRESH_TOKEN_TTL: integer(14 * 86400, 300, 365 * 86400),
  BP_TRUSTED_PROXIES: list().superRefine((proxies, ctx) => {
    for (const proxy of proxies)
      if (!isProxyAddress(proxy))
        ctx.addIssue({
          code: 'custom',
          message: `must list addresses, CIDR ranges or loopback/linklocal/uniquelocal, got "${proxy}"`,
        });
  }),
  BP_CORS_ORIGINS: list().superRefine((origins, ctx) => {
    for (const origin of origins)
      if (!/^https?:\/\/[^/\s]+$/.test(origin))
        ctx.addIssue({
          code: 'custom',
          message: `must list origins like https://tools.example.com, got "${origin}"`,
        });
  }),
  LOG_LEVEL: optionalText().refine(
    (value) => value === null || (LOG_LEVELS as readonly string[]).includes(value),
    { message: 'is not a pino level' },
  ),
  BP_HOST_POLL_MS: integer(15_000, 500, 3_600_000),
  BP_RECONCILE_MS: integer(300_000, 1_000, 86_400_000),
  BP_CATALOG_MIRROR_MS: integer(60_000, 1_000, 86_400_000),
  BP_METRICS_TOKEN: optionalText(),
  BP_ROLE: choice(['all', 'api'], 'all'),
  BP_WORKER_CONCURRENCY: integer(20, 1, 64),
  BP_JOB_LOCK_MS: integer(15_000, 3_000, 600_000),
  BP_EXPIRY_SWEEP_MS: integer(60_000, 500, 86_400_000),
  BP_EXPIRY_WARNING_MS: integer(86_400_000, 0, 30 * 86_400_000),
  BP_IDLE_STOP_MS: integer(0, 0, 365 * 86_400_000),
  BP_IDLE_CHECK_MS: integer(60_000, 200, 86_400_000),
  BP_SCHEDULE_CHECK_MS: integer(30_000, 200, 3_600_000),
  BP_FAULT_INJECTION: optionalText(),
  BP_AGENT_TIMEOUT_MS: integer(30 * 60_000, 1_000, 24 * 3_600_000),
  BP_BUG_URL_PATTERN: optionalText().superRefine((pattern, ctx) => {
    const problem = pattern && bugUrlPatternProblem(pattern);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  BP_UI_DIR: optionalText(),
  BP_CLI_PACKAGE: optionalText(),
  BP_OUTBOUND_ALLOW: list().transform((entries, ctx) =>
    entries.flatMap((raw) => {
      const entry = parseAllowEntry(raw);
      if (!('problem' in entry)) return [entry];
      ctx.addIssue({
        code: 'custom',
        message: `must list IP addresses, CIDR ranges or host names: ${entry.problem}`,
      });
      return [];
    }),
  ),
  BP_WEBHOOKS_PER_USER: integer(20, 1, 10_000),
  BP_WEBHOOK_DELIVERIES_KEPT: integer(100, 10, 100_000),
  BP_OIDC_ISSUER: optionalText().superRefine((issuer, ctx) => {
    const problem = issuer && issuerProblem(issuer);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  BP_OIDC_CLIENT_ID: optionalText(),
  BP_OIDC_CLIENT_SECRET: optionalText(),
  BP_OIDC_SCOPES: optionalText().refine(
    (scopes) => scopes === null || scopes.split(/\s+/).includes('openid'),
    { message: 'must include "openid"' },
  ),
  BP_OIDC_DEFAULT_ROLE: choice(['user', 'admin'], 'user'),
  BP_OIDC_ADMIN_GROUP: optionalText(),
  BP_OIDC_GROUPS_CLAIM: optionalText(),
  BP_OIDC_USERNAME_CLAIM: optionalText(),
  BP_OIDC_NAME: optionalText(),
  BP_PUBLIC_URL: optionalText().superRefine((raw, ctx) => {
    if (raw === null) return;
    const parsed = URL.parse(raw);
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.search || parsed.hash)
      ctx.addIssue({
        code: 'custom',
        message: `must be the http(s) URL browsers reach the control plane at, e.g. https://branchpoint.example.com, got "${raw}"`,
      });
  }),
});

/** Providers are reached over HTTPS; plain HTTP only on this machine (development, tests). */
function issuerProblem(issuer: string): string | null {
  const parsed = URL.parse(issuer);
  if (!parsed || parsed.search || parsed.hash)
    return `must be the provider's issuer URL, got "${issuer}"`;
  if (parsed.protocol === 'https:') return null;
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol === 'http:' && loopback) return null;
  return `must use https (http only on localhost), got "${issuer}"`;
}

/** Single sign-on's settings, or null when off; throws naming what else an issuer needs. */
function ssoConfig(e: z.infer<typeof EnvSchema>): SsoConfig | null {
  if (e.BP_OIDC_ISSUER === null) return null;
  const missing = [
    e.BP_OIDC_CLIENT_ID === null && 'BP_OIDC_CLIENT_ID',
    e.BP_PUBLIC_URL === null && 'BP_PUBLIC_URL',
  ].filter((name) => name !== false);
  if (missing.length > 0)
    throw new ConfigError(
      `Invalid configuration:\n  - ${missing.map((name) => `${name} is required when BP_OIDC_ISSUER is set`).join('\n  - ')}`,
    );
  return {
    issuer: e.BP_OIDC_ISSUER,
    clientId: e.BP_OIDC_CLIENT_ID ?? '',
    clientSecret: e.BP_OIDC_CLIENT_SECRET,
    scopes: e.BP_OIDC_SCOPES ?? 'openid profile email',
    defaultRole: e.BP_OIDC_DEFAULT_ROLE,
    adminGroup: e.BP_OIDC_ADMIN_GROUP,
    groupsClaim: e.BP_OIDC_GROUPS_CLAIM ?? 'groups',
    usernameClaim: e.BP_OIDC_USERNAME_CLAIM ?? 'preferred_username',
    displayName: e.BP_OIDC_NAME ?? 'single sign-on',
    publicUrl: (e.BP_PUBLIC_URL ?? '').replace(/\/+$/, ''),
  };
}

/** "NAME message"; a message that names its variable already (a shared check's) stays whole. */
function describeIssue(issue: z.core.$ZodIssue): string {
  const name = String(issue.path[0]);
  return issue.message.startsWith(name) ? issue.message : `${name} ${issue.message}`;
}

/** Reads and validates the environment; throws one ConfigError naming every problem. */
export function loadConfig(env: Env): { config: AppConfig; warnings: string[] } {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success)
    throw new ConfigError(
      `Invalid configuration:\n  - ${parsed.error.issues.map(describeIssue).join('\n  - ')}`,
    );
  const e = parsed.data;
  const warnings: string[] = [];
  const faultInjection = e.BP_FAULT_INJECTION === 'on';
  if (faultInjection)
    warnings.push(
      'BP_FAULT_INJECTION=on: tests may kill this process at a step (never in production)',
    );
  const uiDir =
    e.BP_UI_DIR ??
    resolve(dirname(fileURLToPath(import.meta.url)), '../../../frontend/dist/browser');
  const config: AppConfig = {
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    queuePrefix: e.BP_QUEUE_PREFIX ?? 'bp',
    adminPassword: e.BRANCHPOINT_ADMIN_PASSWORD ?? '',
    jwtSecret: e.BP_JWT_SECRET ?? '',
    secretKeys: [e.BP_SECRET_KEY, e.BP_SECRET_KEY_PREVIOUS].filter((key) => key !== null),
    accessTokenTtlSeconds: e.BP_ACCESS_TOKEN_TTL,
    refreshTokenTtlSeconds: e.BP_REFRESH_TOKEN_TTL,
    trustedProxies: e.BP_TRUSTED_PROXIES,
    corsOrigins: e.BP_CORS_ORIGINS,
    uiDir: existsSync(uiDir) ? uiDir : null,
    cliPackage:
      e.BP_CLI_PACKAGE ??
      resolve(dirname(fileURLToPath(import.meta.url)), '../../../cli/dist/branchpoint.tgz'),
    logLevel: e.LOG_LEVEL ?? 'info',
    hostPollIntervalMs: e.BP_HOST_POLL_MS,
    reconcileIntervalMs: e.BP_RECONCILE_MS,
    catalogMirrorMs: e.BP_CATALOG_MIRROR_MS,
    metricsToken: e.BP_METRICS_TOKEN,
    role: e.BP_ROLE,
    workerConcurrency: e.BP_WORKER_CONCURRENCY,
    jobLockMs: e.BP_JOB_LOCK_MS,
    agentTimeoutMs: e.BP_AGENT_TIMEOUT_MS,
    expirySweepMs: e.BP_EXPIRY_SWEEP_MS,
    expiryWarningMs: e.BP_EXPIRY_WARNING_MS,
    bugUrlPattern: e.BP_BUG_URL_PATTERN,
    idleStopMs: e.BP_IDLE_STOP_MS,
    idleCheckMs: e.BP_IDLE_CHECK_MS,
    scheduleCheckMs: e.BP_SCHEDULE_CHECK_MS,
    faultInjection,
    sso: ssoConfig(e),
    outboundAllow: e.BP_OUTBOUND_ALLOW,
    webhooksPerUser: e.BP_WEBHOOKS_PER_USER,
    webhookDeliveriesKept: e.BP_WEBHOOK_DELIVERIES_KEPT,
  };
  return { config, warnings };
}

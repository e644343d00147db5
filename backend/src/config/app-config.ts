import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bugUrlPatternProblem } from '../common/bug-ref.js';
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
  /** Keys encrypting agent tokens at rest: BP_SECRET_KEY first, then BP_SECRET_KEY_PREVIOUS if set. */
  secretKeys!: Buffer[];
  accessTokenTtlSeconds!: number;
  /** Directory of the built frontend served at `/`; null when it does not exist. */
  uiDir!: string | null;
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
  /** Tests only: `PUT /test/fault` may arm a step at which the process kills itself. */
  faultInjection!: boolean;
}

export class ConfigError extends Error {}

const DEV_JWT_SECRET = 'branchpoint-dev-secret-change-me';

type Env = Record<string, string | undefined>;

/** Reads and validates the environment; throws one ConfigError naming every problem. */
export function loadConfig(env: Env): { config: AppConfig; warnings: string[] } {
  const problems: string[] = [];
  const warnings: string[] = [];
  const config = new AppConfig();

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const url = (name: string, protocols: string[]): string => {
    const raw = env[name];
    if (!raw) {
      problems.push(`${name} is required (${protocols.join(' or ')} URL)`);
      return '';
    }
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol))
        problems.push(`${name} must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
    } catch {
      problems.push(`${name} is not a valid URL`);
    }
    return raw;
  };

  config.port = int('PORT', 3000, 0, 65535);
  config.databaseUrl = url('DATABASE_URL', ['postgres:', 'postgresql:']);
  config.redisUrl = url('REDIS_URL', ['redis:', 'rediss:']);
  config.queuePrefix = env['BP_QUEUE_PREFIX'] || 'bp';
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(config.queuePrefix))
    problems.push('BP_QUEUE_PREFIX may hold only letters, digits, "_" and "-"');

  const adminPassword = env['BRANCHPOINT_ADMIN_PASSWORD'];
  if (!adminPassword)
    problems.push(
      'BRANCHPOINT_ADMIN_PASSWORD is required (password of the "admin" account created on first start)',
    );
  config.adminPassword = adminPassword ?? '';

  const secret = env['BP_JWT_SECRET'];
  if (!secret)
    warnings.push('BP_JWT_SECRET is not set: using the development secret; set it in production');
  else if (secret.length < 16) problems.push('BP_JWT_SECRET must be at least 16 characters');
  config.jwtSecret = secret || DEV_JWT_SECRET;

  const secretKey = (name: string): Buffer | null => {
    const raw = env[name];
    if (!raw) return null;
    const key = Buffer.from(raw, 'base64');
    // Standard or URL-safe base64 (openssl's output, or the dev stack's generated secrets).
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(raw) || key.length !== KEY_BYTES) {
      problems.push(`${name} must be ${KEY_BYTES} bytes in base64 (openssl rand -base64 32)`);
      return null;
    }
    return key;
  };
  const currentKey = secretKey('BP_SECRET_KEY');
  if (!env['BP_SECRET_KEY'])
    problems.push(
      'BP_SECRET_KEY is required (32 bytes in base64, e.g. openssl rand -base64 32; it encrypts agent tokens in the metadata database)',
    );
  const previousKey = secretKey('BP_SECRET_KEY_PREVIOUS');
  config.secretKeys = [currentKey, previousKey].filter((key) => key !== null);

  config.accessTokenTtlSeconds = int('BP_ACCESS_TOKEN_TTL', 8 * 3600, 60, 30 * 86400);
  config.logLevel = env['LOG_LEVEL'] || 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(config.logLevel))
    problems.push(`LOG_LEVEL "${config.logLevel}" is not a pino level`);
  config.hostPollIntervalMs = int('BP_HOST_POLL_MS', 15_000, 500, 3_600_000);
  config.reconcileIntervalMs = int('BP_RECONCILE_MS', 300_000, 1_000, 86_400_000);
  config.catalogMirrorMs = int('BP_CATALOG_MIRROR_MS', 60_000, 1_000, 86_400_000);
  config.metricsToken = env['BP_METRICS_TOKEN'] || null;
  const role = env['BP_ROLE'] || 'all';
  if (role !== 'all' && role !== 'api')
    problems.push(`BP_ROLE must be "all" or "api", got "${role}"`);
  config.role = role === 'api' ? 'api' : 'all';
  config.workerConcurrency = int('BP_WORKER_CONCURRENCY', 4, 1, 64);
  config.expirySweepMs = int('BP_EXPIRY_SWEEP_MS', 60_000, 500, 86_400_000);
  config.expiryWarningMs = int('BP_EXPIRY_WARNING_MS', 86_400_000, 0, 30 * 86_400_000);
  config.idleStopMs = int('BP_IDLE_STOP_MS', 0, 0, 365 * 86_400_000);
  config.idleCheckMs = int('BP_IDLE_CHECK_MS', 60_000, 200, 86_400_000);
  config.faultInjection = env['BP_FAULT_INJECTION'] === 'on';
  if (config.faultInjection)
    warnings.push(
      'BP_FAULT_INJECTION=on: tests may kill this process at a step (never in production)',
    );
  config.agentTimeoutMs = int('BP_AGENT_TIMEOUT_MS', 30 * 60_000, 1_000, 24 * 3_600_000);

  config.bugUrlPattern = env['BP_BUG_URL_PATTERN'] || null;
  const patternProblem = config.bugUrlPattern && bugUrlPatternProblem(config.bugUrlPattern);
  if (patternProblem) problems.push(patternProblem);

  const uiDir =
    env['BP_UI_DIR'] ||
    resolve(dirname(fileURLToPath(import.meta.url)), '../../../frontend/dist/browser');
  config.uiDir = existsSync(uiDir) ? uiDir : null;

  if (problems.length > 0)
    throw new ConfigError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  return { config, warnings };
}

import path from 'node:path';
import { z } from 'zod';

/** The agent's configuration, read and validated once at start. Nothing else reads process.env. */
export interface AgentConfig {
  host: string;
  port: number;
  token: string;
  dev: boolean;
  zfsRoot: string;
  /** The pool: the first segment of zfsRoot. */
  pool: string;
  pgBin: string;
  clonePorts: { first: number; last: number };
  runDir: string;
  cloneHost: string;
  /** The addresses clone servers listen on (listen_addresses). */
  cloneListen: string;
  /** The uids (and gids of the same numbers) given to containers and templates, one each. */
  tenantUids: { first: number; last: number };
  /** How long a shell hook may run before it is killed and fails. */
  hookTimeoutMs: number;
  tls: AgentTlsConfig;
  /** Every call's total and per-step durations on stderr (BP_AGENT_STEP_LOG=1); the answer's header carries them always. */
  stepLog: boolean;
  /** Test-only: `BP_FAULT_INJECTION=on` enables PUT /v1/test/fault and the fault points. */
  faultInjection: boolean;
}

/** Where the HTTPS certificate and key are; `generate` when the agent makes them itself. */
export interface AgentTlsConfig {
  certFile: string;
  keyFile: string;
  generate: boolean;
}

export const DEV_AGENT_TOKEN = 'dev-agent-token';

function integer(min: number, max: number) {
  const message = `must be an integer between ${min} and ${max}`;
  return z.coerce.number({ error: message }).int(message).min(min, message).max(max, message);
}

const EnvSchema = z.object({
  BP_AGENT_HOST: z.string().min(1).default('127.0.0.1'),
  // 0 picks a free port (tests); the listening line names the one chosen.
  BP_AGENT_PORT: integer(0, 65535).default(7070),
  BP_AGENT_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  BP_AGENT_DEV: z.enum(['0', '1', '']).optional(),
  BP_ZFS_ROOT: z
    .string({ error: 'is required (e.g. tank/branchpoint)' })
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9_.:-]*(\/[A-Za-z0-9_.:-]+)+$/,
      'must be a dataset below a pool, e.g. tank/branchpoint',
    ),
  BP_PG_BIN: z.string().min(1).default('/usr/lib/postgresql/15/bin'),
  BP_CLONE_PORTS: z
    .string()
    .regex(/^\d+-\d+$/, 'must look like 55000-55999')
    .default('55000-55999'),
  BP_AGENT_RUN_DIR: z.string().min(1).optional(),
  BP_DATA_DIR: z.string().min(1).optional(),
  BP_CLONE_HOST: z.string().min(1).default('127.0.0.1'),
  BP_CLONE_LISTEN: z
    .string()
    .regex(/^[A-Za-z0-9.:*, -]+$/, 'must be addresses like 127.0.0.1 or *')
    .optional(),
  BP_TENANT_UIDS: z
    .string()
    .regex(/^\d+-\d+$/, 'must look like 3000000-3999999')
    .default('3000000-3999999'),
  BP_HOOK_TIMEOUT_MS: integer(1000, 86_400_000).default(600_000),
  BP_AGENT_TLS_CERT: z.string().min(1).optional(),
  BP_AGENT_TLS_KEY: z.string().min(1).optional(),
  BP_FAULT_INJECTION: z.enum(['on', 'off', '']).optional(),
  BP_AGENT_STEP_LOG: z.enum(['0', '1', '']).optional(),
});

export class ConfigError extends Error {}

/** "NAME message", as the control plane's configuration words its problems. */
function describeIssue(issue: z.core.$ZodIssue): string {
  const name = String(issue.path[0]);
  return issue.message.startsWith(name) ? issue.message : `${name} ${issue.message}`;
}

/** Reads and validates the environment; throws ConfigError naming every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AgentConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map(describeIssue).join('; '));
  const e = parsed.data;
  const dev = e.BP_AGENT_DEV === '1';
  const token = e.BP_AGENT_TOKEN ?? (dev ? DEV_AGENT_TOKEN : undefined);
  if (!token)
    throw new ConfigError('BP_AGENT_TOKEN is required (or set BP_AGENT_DEV=1 for the dev token)');
  const [first = 0, last = 0] = e.BP_CLONE_PORTS.split('-').map(Number);
  if (first < 1024 || last > 65535 || first > last)
    throw new ConfigError(`BP_CLONE_PORTS range ${e.BP_CLONE_PORTS} is invalid`);
  const [firstUid = 0, lastUid = 0] = e.BP_TENANT_UIDS.split('-').map(Number);
  // Below 2^31: ZFS keeps larger ids as ephemeral ones.
  if (firstUid < 65536 || lastUid >= 2 ** 31 || firstUid > lastUid)
    throw new ConfigError(
      `BP_TENANT_UIDS range ${e.BP_TENANT_UIDS} is invalid (65536 or more, below 2^31)`,
    );
  const runDir =
    e.BP_AGENT_RUN_DIR ??
    (e.BP_DATA_DIR ? path.join(e.BP_DATA_DIR, 'agent') : '/var/lib/branchpoint-agent');
  if ((e.BP_AGENT_TLS_CERT === undefined) !== (e.BP_AGENT_TLS_KEY === undefined))
    throw new ConfigError(
      'BP_AGENT_TLS_CERT and BP_AGENT_TLS_KEY go together: set both or neither',
    );
  return {
    host: e.BP_AGENT_HOST,
    port: e.BP_AGENT_PORT,
    token,
    dev,
    zfsRoot: e.BP_ZFS_ROOT,
    pool: e.BP_ZFS_ROOT.split('/')[0] ?? '',
    pgBin: e.BP_PG_BIN,
    clonePorts: { first, last },
    runDir: path.resolve(runDir),
    cloneHost: e.BP_CLONE_HOST,
    cloneListen: e.BP_CLONE_LISTEN ?? e.BP_CLONE_HOST,
    tenantUids: { first: firstUid, last: lastUid },
    hookTimeoutMs: e.BP_HOOK_TIMEOUT_MS,
    tls: tlsConfig(e.BP_AGENT_TLS_CERT, e.BP_AGENT_TLS_KEY, path.resolve(runDir)),
    faultInjection: e.BP_FAULT_INJECTION === 'on',
    stepLog: e.BP_AGENT_STEP_LOG === '1',
  };
}

/** The given certificate and key, or the pair the agent makes and keeps in `<runDir>/tls/`. */
function tlsConfig(
  cert: string | undefined,
  key: string | undefined,
  runDir: string,
): AgentTlsConfig {
  if (cert !== undefined && key !== undefined)
    return { certFile: path.resolve(cert), keyFile: path.resolve(key), generate: false };
  const dir = path.join(runDir, 'tls');
  return {
    certFile: path.join(dir, 'agent.crt'),
    keyFile: path.join(dir, 'agent.key'),
    generate: true,
  };
}

import { z } from 'zod';

/**
 * What the agent API's routes answer on success: the answer types of ../agent.ts are these
 * schemas' types. Objects are not strict: an agent newer than its control plane may add fields.
 */

const sourceKind = z.enum(['postgres', 'mariadb', 'directory']);

/** Output of the hooks a call ran, a line per SQL statement, notice or output line, each prefixed with the source. */
const hookOutput = { hookLog: z.array(z.string()).optional() };
export const HookOutputAnswer = z.object(hookOutput);

/** 204: no body. */
export const NoAnswer = z.void();

export const HealthAnswer = z.object({ ok: z.boolean() });

export const TemplateVersionAnswer = z.object({
  templateId: z.string(),
  version: z.string(),
  state: z.enum(['ingesting', 'ready', 'failed']),
  /** 0..100 while ingesting. */
  progress: z.number(),
  error: z.string().optional(),
  /** Only in the answer of the PUT that ingested with hooks: per statement its row count and notices, the shell hooks' output. */
  hookLog: hookOutput.hookLog,
  sources: z.array(
    z.object({
      id: z.string(),
      kind: sourceKind,
      database: z.string().optional(),
      usedBytes: z.number(),
      referencedBytes: z.number(),
    }),
  ),
});

export const EndpointAnswer = z.object({
  sourceId: z.string(),
  kind: sourceKind,
  /** The host name clients connect to (the agent's BP_CLONE_HOST). */
  host: z.string().optional(),
  /** database sources (postgres, mariadb): the fixed TCP port; directory sources: null. */
  port: z.number().nullable(),
  /** database sources: database name from the source connection string. */
  database: z.string().nullable(),
  username: z.string().nullable(),
  /** directory sources: the mounted path of the active branch's copy. */
  path: z.string().nullable(),
  running: z.boolean(),
});

/** `hookLog`: in answers of calls that launched servers, the output of their afterStart hooks. */
export const ContainerAnswer = z.object({
  ...hookOutput,
  containerId: z.string(),
  activeBranchId: z.string().nullable(),
  running: z.boolean(),
  endpoints: z.array(EndpointAnswer),
});

/**
 * What a container's datasets were cloned from outside its own tree: a host it moves to must hold
 * these first (template versions, and points of other containers or received from other hosts).
 */
export const OriginsAnswer = z.object({
  templateVersions: z.array(z.object({ templateId: z.string(), version: z.string() })),
  points: z.array(z.object({ containerId: z.string(), branchId: z.string(), pointId: z.string() })),
});

export const ActivityAnswer = z.object({
  /** Whether any postgres server of the active branch runs. */
  running: z.boolean(),
  /**
   * ISO date-time of the latest client activity over its running servers: now while a client is
   * connected, else the latest session start or state change, else the server start. Null when
   * nothing runs.
   */
  lastActivityAt: z.string().nullable(),
});

const settings = {
  branchId: z.string(),
  /** Per parameter its value as the servers run it now. */
  settings: z.record(z.string(), z.string()),
  /** Parameters changed but waiting for a restart. */
  pendingRestart: z.array(z.string()),
};
export const SettingsAnswer = z.object(settings);
export const SettingsResultAnswer = z.object({
  ...settings,
  ...hookOutput,
  /** Whether the servers were restarted to apply a parameter. */
  restarted: z.boolean(),
});

export const CloneCaAnswer = z.object({
  /** PEM; clients verify with it (`sslmode=verify-ca` / `verify-full`, `sslrootcert`). */
  certificate: z.string(),
  /** SHA-256 fingerprint of the certificate, colon-separated hex. */
  fingerprint: z.string(),
});

export const BranchAnswer = z.object({ containerId: z.string(), branchId: z.string() });

export const PointAnswer = z.object({
  pointId: z.string(),
  createdAt: z.string(),
  held: z.boolean(),
  dependentClones: z.array(z.string()),
});

/** `hookLog` when the restore started the servers again (the branch is active). */
export const RestoreAnswer = z.object({
  ...hookOutput,
  containerId: z.string(),
  branchId: z.string(),
  generationId: z.string(),
});

export const ResetAnswer = z.object({
  ...hookOutput,
  /** The point rolled back to; for a generation without points, its origin's snapshot name (a point id or a template version). */
  pointId: z.string(),
});

export const HoldAnswer = z.object({
  holdTag: z.string(),
  containerId: z.string(),
  branchId: z.string(),
  pointId: z.string(),
});

export const CapacityAnswer = z.object({
  pool: z.string(),
  root: z.string(),
  sizeBytes: z.number(),
  freeBytes: z.number(),
  usedBytes: z.number(),
  health: z.string(),
  versions: z.object({ agent: z.string(), zfs: z.string(), postgres: z.string() }),
  runningInstances: z.number(),
  /** The host's memory (`MemAvailable` of /proc/meminfo), for placement. Absent from older agents. */
  memory: z.object({ totalBytes: z.number(), availableBytes: z.number() }).optional(),
  /**
   * The agent's stable identity (`branchpoint:agent-id` on its root dataset): one agent is
   * registered as one host only. Absent from agents older than it.
   */
  agentId: z.string().optional(),
});

export const InventoryDatasetAnswer = z.object({
  name: z.string(),
  type: z.enum(['filesystem', 'snapshot']),
  origin: z.string().nullable(),
  usedBytes: z.number(),
  referencedBytes: z.number(),
  userrefs: z.number(),
  /** `branchpoint:*` user properties, without the prefix. */
  properties: z.record(z.string(), z.string()),
});

export const InventoryInstanceAnswer = z.object({
  containerId: z.string(),
  branchId: z.string(),
  sourceId: z.string(),
  port: z.number(),
  pid: z.number().nullable(),
  running: z.boolean(),
});

export const InventoryAnswer = z.object({
  root: z.string(),
  /** As in CapacityAnswer. */
  agentId: z.string().optional(),
  datasets: z.array(InventoryDatasetAnswer),
  instances: z.array(InventoryInstanceAnswer),
});

export const ClaimAnswer = z.object({
  kind: z.enum(['container', 'template']),
  id: z.string(),
  /** The installation id the top dataset now carries. */
  installation: z.string(),
  /** True when it carried none before (adopted now). */
  adopted: z.boolean(),
});

/**
 * A transfer as its sender (or receiver) sees it: `bytes` streamed so far; `done` once the
 * receiver holds `subject.to`.
 */
export const TransferAnswer = z.object({
  transferId: z.string(),
  state: z.enum(['sending', 'done', 'failed']),
  bytes: z.number(),
  error: z.string().optional(),
});

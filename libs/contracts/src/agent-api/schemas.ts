import { z } from 'zod';
import {
  AGENT_FAULT_STEPS,
  CLONE_ROLE_PATTERN,
  MAX_CATALOG_RECORD_BYTES,
  MAX_KEEP_ROLES,
  MAX_SHELL_HOOK_LENGTH,
  SERVER_SETTING_PATTERN,
  SOURCE_NAME_PATTERN,
} from '../agent.js';
import { RESOURCE_ID_PATTERN } from '../ids.js';

/**
 * The agent API's params, query and body schemas: the agent validates with them (unknown fields
 * are refused) and the request types of ../agent.ts are their input types.
 */
export const resourceIdSchema = z
  .string()
  .regex(RESOURCE_ID_PATTERN, `must match ${RESOURCE_ID_PATTERN}`);

const ids = <K extends string>(...keys: K[]) =>
  z.strictObject(
    Object.fromEntries(keys.map((key) => [key, resourceIdSchema])) as Record<
      K,
      typeof resourceIdSchema
    >,
  );

export const TemplateParams = ids('templateId');
export const VersionParams = ids('templateId', 'version');
export const ContainerParams = ids('containerId');
export const BranchParams = ids('containerId', 'branchId');
export const PointParams = ids('containerId', 'branchId', 'pointId');
export const GenerationParams = ids('containerId', 'branchId', 'generationId');
export const HoldParams = ids('holdTag');
export const TransferParams = ids('transferId');

export const NoParams = z.strictObject({});
export const DeferQuery = z.strictObject({ defer: z.enum(['true', 'false']).optional() });
export const EmptyQuery = z.strictObject({});
/** The longest a caller may wait for a transfer to end in one GET (a long poll). */
export const MAX_TRANSFER_WAIT_MS = 10_000;
/** `waitMs`: answer once the transfer has ended, or after that many milliseconds at the most. */
export const TransferStatusQuery = z.strictObject({
  waitMs: z
    .string()
    .regex(/^\d{1,5}$/, 'a whole number of milliseconds')
    .transform(Number)
    .pipe(z.number().max(MAX_TRANSFER_WAIT_MS))
    .optional(),
});
export const EmptyBody = z.union([z.undefined(), z.null(), z.strictObject({})]);

const absolutePath = z
  .string()
  .min(2)
  .max(4096)
  .regex(/^\/[^\0]*$/, 'must be an absolute path')
  .refine((value) => !value.split('/').includes('..'), 'must not contain ..');

/** Admin-defined SQL hooks: non-empty statements, bounded. */
const sqlStatements = z.array(z.string().trim().min(1).max(65536)).max(64);
/** An admin-defined shell hook: a non-empty script, bounded. */
const shellScript = z
  .string()
  .max(MAX_SHELL_HOOK_LENGTH)
  .regex(/\S/, 'must not be empty')
  .refine((script) => !script.includes('\0'), 'must not contain NUL');
const sourceName = z.string().regex(SOURCE_NAME_PATTERN, `must match ${SOURCE_NAME_PATTERN}`);

export const IngestBody = z.strictObject({
  sources: z
    .array(
      z.discriminatedUnion('kind', [
        z.strictObject({
          id: resourceIdSchema,
          kind: z.literal('postgres'),
          connectionString: z.string().min(1).max(4096),
          name: sourceName.optional(),
        }),
        z.strictObject({
          id: resourceIdSchema,
          kind: z.literal('mariadb'),
          /** `mysql://user:password@host:port/db` (or `mariadb://`). */
          connectionString: z.string().min(1).max(4096),
          name: sourceName.optional(),
        }),
        z.strictObject({
          id: resourceIdSchema,
          kind: z.literal('directory'),
          path: absolutePath,
          name: sourceName.optional(),
        }),
      ]),
    )
    .min(1)
    .max(32)
    .refine(
      (sources) => new Set(sources.map((source) => source.id)).size === sources.length,
      'source ids must be unique',
    ),
  hooks: z
    .strictObject({
      /** SQL in one transaction, as a superuser, in the source's database. */
      afterIngest: sqlStatements.optional(),
      /** A shell script run after the SQL: see ShellHookEnvironment. */
      afterIngestShell: shellScript.optional(),
    })
    .optional(),
});

export const CreateContainerBody = z.strictObject({
  sources: z
    .array(
      z.strictObject({
        id: resourceIdSchema,
        kind: z.enum(['postgres', 'mariadb', 'directory']),
        name: sourceName.optional(),
      }),
    )
    .min(1)
    .max(32)
    .refine(
      (sources) => new Set(sources.map((source) => source.id)).size === sources.length,
      'source ids must be unique',
    ),
  /** The password clients use; the agent keeps only a SCRAM verifier of it. */
  password: z.string().min(8).max(256),
  /**
   * SQL run after each launch of one of the container's servers (after the password step): in one
   * transaction, as a superuser, in the source's database (e.g. to reset application passwords).
   * A failing statement stops that server and fails the start (500 instance-failed naming it).
   */
  afterStartSql: sqlStatements.optional(),
  /** A shell script run after afterStartSql, likewise (see ShellHookEnvironment). */
  afterStartShell: shellScript.optional(),
  /**
   * The owner role (`branchpoint`) is a superuser. Off by default: the owner owns the databases
   * and their objects and has pg_monitor, pg_read_all_stats and pg_signal_backend. An admin may
   * allow it per template; it is safe only because each container runs as an OS uid of its own.
   */
  ownerSuperuser: z.boolean().optional(),
  /**
   * Roles copied from the source that may log in to the clones, with the container's password
   * (CLONE_ROLE_PATTERN; never the bootstrap superuser). Every other source role is NOLOGIN.
   */
  keepRoles: z
    .array(z.string().regex(CLONE_ROLE_PATTERN, `must match ${CLONE_ROLE_PATTERN}`))
    .max(MAX_KEEP_ROLES)
    .optional(),
});

export const ContainerPasswordBody = z.strictObject({ password: z.string().min(8).max(256) });

export const ServerSettingsBody = z.strictObject({
  settings: z
    .record(
      z.string().regex(SERVER_SETTING_PATTERN, `must match ${SERVER_SETTING_PATTERN}`),
      z.string().max(1024).nullable(),
    )
    .refine((settings) => Object.keys(settings).length > 0, 'name at least one setting')
    .refine((settings) => Object.keys(settings).length <= 64, 'at most 64 settings at once'),
});

export const CreateBranchBody = z.strictObject({
  origin: z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('template'),
      templateId: resourceIdSchema,
      version: resourceIdSchema,
    }),
    z.strictObject({
      kind: z.literal('point'),
      containerId: resourceIdSchema,
      branchId: resourceIdSchema,
      pointId: resourceIdSchema,
    }),
  ]),
  /** The branch's first point, taken of the clone in the same call (no server runs on it yet). */
  firstPointId: resourceIdSchema.optional(),
});

// afterPointId: the point the restore takes of the new data before the servers start again.
const RestoreFromPoint = z.strictObject({
  fromPointId: resourceIdSchema,
  fromBranchId: resourceIdSchema.optional(),
  afterPointId: resourceIdSchema.optional(),
});
const RestoreFromTemplate = z.strictObject({
  fromTemplate: z.strictObject({ templateId: resourceIdSchema, version: resourceIdSchema }),
  afterPointId: resourceIdSchema.optional(),
});
/**
 * A point or a template version. The `fromTemplate` key picks the variant, so a problem names
 * its field (a plain union would only answer "Invalid input").
 */
export const RestoreBody = z.unknown().transform((body, context) => {
  const variant =
    typeof body === 'object' && body !== null && 'fromTemplate' in body
      ? RestoreFromTemplate
      : RestoreFromPoint;
  const result = variant.safeParse(body);
  if (result.success) return result.data;
  for (const issue of result.error.issues) context.addIssue({ ...issue });
  return z.NEVER;
});
export const ActivateBody = z.strictObject({ branchId: resourceIdSchema });
/** A new point, and the hold a bookmark puts on it in the same call (no second round trip). */
export const PointBody = z.union([
  z.undefined(),
  z.null(),
  z.strictObject({ holdTag: resourceIdSchema.optional() }),
]);

export const HoldBody = z.strictObject({
  containerId: resourceIdSchema,
  branchId: resourceIdSchema,
  pointId: resourceIdSchema,
});

/** A container or template this installation claims (its top dataset takes the installation id). */
export const ClaimBody = z.strictObject({
  kind: z.enum(['container', 'template']),
  id: resourceIdSchema,
});

export const CatalogBody = z.strictObject({
  target: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('template'), templateId: resourceIdSchema }),
    z.strictObject({
      kind: z.literal('template-version'),
      templateId: resourceIdSchema,
      version: resourceIdSchema,
    }),
    z.strictObject({ kind: z.literal('container'), containerId: resourceIdSchema }),
    z.strictObject({
      kind: z.literal('branch'),
      containerId: resourceIdSchema,
      branchId: resourceIdSchema,
    }),
    z.strictObject({
      kind: z.literal('point'),
      containerId: resourceIdSchema,
      branchId: resourceIdSchema,
      pointId: resourceIdSchema,
    }),
  ]),
  // A ZFS user property holds at most 8 KiB: the record must fit as one.
  record: z.record(z.string(), z.unknown()).superRefine((record, context) => {
    const bytes = utf8Length(JSON.stringify(record));
    if (bytes > MAX_CATALOG_RECORD_BYTES)
      context.addIssue({
        code: 'custom',
        message: `is ${bytes} bytes as JSON; the limit is ${MAX_CATALOG_RECORD_BYTES}`,
      });
  }),
});

/** Test-only (BP_FAULT_INJECTION=on): the step at which the agent kills itself. */
export const FaultBody = z.strictObject({ step: z.enum(AGENT_FAULT_STEPS) });

/** Bytes of the text in UTF-8 (no TextEncoder: these schemas load without DOM or Node types). */
function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/**
 * What a transfer moves between agents, one of:
 * - `template`: a template's datasets (`<root>/templates/<t>` and its sources) up to version
 *   `to`, incrementally from version `from` (which the receiver holds) or whole when `from` is null;
 * - `point`: one source of a branch point (a bookmark's data), incrementally from the template
 *   version `version` it was cloned from (which the receiver holds), kept by the receiver as a
 *   received point that branches there can be cloned from;
 * - `container`: a container moving to another host: its whole dataset tree (branches,
 *   generations, points, clone relations) up to the snapshot `to` the sender takes of it
 *   recursively, incrementally with every snapshot after `from` (which the receiver holds) or
 *   whole when `from` is null. The receiver must hold the origins outside the tree (template
 *   versions, points of other containers) already.
 */
export const TransferSubject = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('template'),
    templateId: resourceIdSchema,
    from: resourceIdSchema.nullable(),
    to: resourceIdSchema,
  }),
  z.strictObject({
    kind: z.literal('point'),
    templateId: resourceIdSchema,
    version: resourceIdSchema,
    containerId: resourceIdSchema,
    branchId: resourceIdSchema,
    pointId: resourceIdSchema,
    sourceId: resourceIdSchema,
  }),
  z.strictObject({
    kind: z.literal('container'),
    containerId: resourceIdSchema,
    from: resourceIdSchema.nullable(),
    to: resourceIdSchema,
  }),
]);

/** A container received from another host becomes this host's: `snapshots` are the move's own, dropped. */
export const MovedInBody = z.strictObject({
  snapshots: z.array(resourceIdSchema).max(8),
});

/** SHA-256 of the certificate as Node's `fingerprint256` writes it: `AB:CD:…` (32 pairs). */
export const CertificateFingerprint = z
  .string()
  .regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/, 'must be a SHA-256 fingerprint AB:CD:… (32 pairs)');

/**
 * The control plane tells the receiving agent to expect one transfer: the SHA-256 (hex) of the
 * one-time grant the sender will present, what it must carry, and for how long it is valid.
 */
export const ExpectTransferBody = z.strictObject({
  subject: TransferSubject,
  grantSha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits'),
  validForMs: z
    .number()
    .int()
    .min(1_000)
    .max(15 * 60_000),
});

/** The control plane asks the sending agent to stream `subject` to the receiver with the grant. */
export const SendTransferBody = z.strictObject({
  subject: TransferSubject,
  grant: z.string().regex(/^[A-Za-z0-9_-]{43,128}$/, 'must be 43 to 128 base64url characters'),
  receiver: z.strictObject({
    url: z
      .string()
      .max(2048)
      .regex(/^https:\/\/[^\s/?#]+\/?$/, 'must be an https:// origin'),
    fingerprint: CertificateFingerprint,
  }),
});

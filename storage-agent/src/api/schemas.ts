import {
  CLONE_ROLE_PATTERN,
  MAX_CATALOG_RECORD_BYTES,
  MAX_KEEP_ROLES,
  MAX_SHELL_HOOK_LENGTH,
  RESOURCE_ID_PATTERN,
  SERVER_SETTING_PATTERN,
  SOURCE_NAME_PATTERN,
} from '@branchpoint/contracts';
import { z } from 'zod';
import { badRequest } from '../common/agent-failure.js';

/** Validation of every route's params, query and body; unknown fields are refused. */
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

export const DeferQuery = z.strictObject({ defer: z.enum(['true', 'false']).optional() });
export const EmptyQuery = z.strictObject({});
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
      afterIngest: sqlStatements.optional(),
      afterIngestShell: shellScript.optional(),
    })
    .optional(),
});

export const CreateContainerBody = z.strictObject({
  sources: z
    .array(
      z.strictObject({
        id: resourceIdSchema,
        kind: z.enum(['postgres', 'directory']),
        name: sourceName.optional(),
      }),
    )
    .min(1)
    .max(32)
    .refine(
      (sources) => new Set(sources.map((source) => source.id)).size === sources.length,
      'source ids must be unique',
    ),
  password: z.string().min(8).max(256),
  afterStartSql: sqlStatements.optional(),
  afterStartShell: shellScript.optional(),
  ownerSuperuser: z.boolean().optional(),
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
});

const RestoreFromPoint = z.strictObject({
  fromPointId: resourceIdSchema,
  fromBranchId: resourceIdSchema.optional(),
});
const RestoreFromTemplate = z.strictObject({
  fromTemplate: z.strictObject({ templateId: resourceIdSchema, version: resourceIdSchema }),
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
export const HoldBody = z.strictObject({
  containerId: resourceIdSchema,
  branchId: resourceIdSchema,
  pointId: resourceIdSchema,
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
    const bytes = Buffer.byteLength(JSON.stringify(record));
    if (bytes > MAX_CATALOG_RECORD_BYTES)
      context.addIssue({
        code: 'custom',
        message: `is ${bytes} bytes as JSON; the limit is ${MAX_CATALOG_RECORD_BYTES}`,
      });
  }),
});

/** Parses or throws a 400 naming the field and the problem. */
export function parse<T>(
  schema: z.ZodType<T>,
  value: unknown,
  where: 'params' | 'query' | 'body',
): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.length > 0 ? `${where}.${issue.path.join('.')}` : where;
    const keys = 'keys' in issue && Array.isArray(issue.keys) ? ` (${issue.keys.join(', ')})` : '';
    return `${field}: ${issue.message}${keys}`;
  });
  throw badRequest(problems.join('; '));
}

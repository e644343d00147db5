/**
 * The storage-agent HTTP API: the one contract between the control plane and an agent.
 * Every path below is relative to the agent's base URL and, but for `GET /v1/health`, needs
 * `Authorization: Bearer <agent token>`. Every mutating call is idempotent: repeating it with
 * the same ids succeeds and changes nothing. Ids are RESOURCE_ID_PATTERN strings made by the
 * control plane (never user text); the agent derives every dataset name from them.
 *
 * Long calls (ingest, clone, restore, activate) answer when done; their progress can be read
 * meanwhile through the matching GET. Calls that run template hooks (ingest, and every call that
 * launches a container's servers: activate, start, restore, reset) answer the hooks' output as
 * `hookLog`; when a hook fails, the error answer carries it too.
 *
 * Routes (C = /v1/containers/:containerId, B = C/branches/:branchId):
 *   GET    /v1/health                          no auth: { ok: true }
 *   GET    /v1/capacity                        AgentCapacity
 *   GET    /v1/inventory                       AgentInventory
 *   PUT    /v1/templates/:templateId/versions/:version   IngestTemplateVersionRequest -> TemplateVersionStatus
 *   GET    /v1/templates/:templateId/versions/:version   TemplateVersionStatus (progress while ingesting)
 *   DELETE /v1/templates/:templateId/versions/:version[?defer=true]   409 has-dependents while clones use it, or deferred destroy
 *   DELETE /v1/templates/:templateId
 *   PUT    C                                   CreateContainerRequest -> ContainerStatus
 *   GET    C                                   ContainerStatus
 *   DELETE C                                   stops servers, destroys its datasets (409 has-dependents)
 *   PUT    C/active                            ActivateRequest -> ContainerStatus
 *   POST   C/start | C/stop                    ContainerStatus
 *   PUT    C/password                          ContainerPasswordRequest (every server takes the new password at once)
 *   GET    C/settings                          ServerSettings (parameters the owner changed on the active branch)
 *   PATCH  C/settings                          ServerSettingsRequest -> ServerSettingsResult (ALTER SYSTEM, reload or restart)
 *   GET    /v1/tls/ca                          CloneCertificateAuthority (the CA that signs every clone server's certificate)
 *   GET    C/activity                          ContainerActivity (when clients last used its servers)
 *   GET    C/origins                           ContainerOrigins (what its clones need outside its tree)
 *   PUT    C/moved-in                          MovedInRequest -> ContainerStatus (a container received from another host becomes this one's)
 *   PUT    B                                   CreateBranchRequest
 *   DELETE B                                   409 when active or has dependents
 *   PUT    B/points/:pointId                   PointRequest? -> PointStatus (CHECKPOINT + snapshot -r; then zfs hold when holdTag)
 *   GET    B/points/:pointId                   PointStatus
 *   DELETE B/points/:pointId[?defer=true]      409 held / has-dependents, or deferred destroy
 *   PUT    B/generations/:generationId         RestoreRequest -> RestoreResult (restore = clone a point or a template version)
 *   POST   B/reset                             ResetResult (rollback to the newest point)
 *   PUT    /v1/holds/:holdTag                  HoldRequest (zfs hold on the point's snapshots)
 *   DELETE /v1/holds/:holdTag                  HoldRequest as query
 *   PUT    /v1/claims                          ClaimRequest -> ClaimResult (needs x-branchpoint-installation; adopts a dataset with no installation id)
 *   PUT    /v1/catalog                         CatalogRecordRequest -> 204 (404 when the target does not exist)
 *   PUT    /v1/transfers/:transferId           ExpectTransferRequest (receiver: the grant's hash, what it carries, how long it is valid)
 *   POST   /v1/transfers/:transferId/send      SendTransferRequest -> TransferStatus (sender: streams to the receiver, answers at once)
 *   GET    /v1/transfers/:transferId           ?waitMs -> TransferStatus (bytes sent so far; waitMs: once it has ended, or after that long)
 *   POST   /v1/transfers/:transferId/stream    agent to agent, TRANSFER_GRANT_HEADER instead of the token: a `zfs send` stream -> TransferStatus
 *   PUT    /v1/test/fault                      AgentFaultRequest -> 204 (only with BP_FAULT_INJECTION=on; else 404)
 *   DELETE /v1/test/fault                      disarms (likewise)
 *
 * Calls may carry `x-operation-id` (1 to 128 of [A-Za-z0-9._:-], else 400): a mutating call
 * repeated with the same id, method, URL and body joins the first while it runs, and gets its
 * answer replayed for 15 minutes after it succeeded. A different call under the same id (the
 * next call of one job attempt) simply runs.
 *
 * Calls may carry `x-branchpoint-installation` (INSTALLATION_HEADER), the calling control plane's
 * installation id: every dataset such a call creates carries it (`branchpoint:installation`),
 * and a call that changes or destroys a container or template whose top dataset carries another
 * installation's id is refused (409 foreign-installation). A call without it checks nothing (an
 * operator's call with the agent token).
 *
 * The routes as code (method, path, schemas) are `agentRoutes` in ./agent-api; the request and
 * answer types below are their schemas' types.
 */
import type { z } from 'zod';
import type * as A from './agent-api/answers.js';
import type * as S from './agent-api/schemas.js';

export type SourceKind = AgentEndpoint['kind'];

/** Where a template source's data comes from. */
export type SourceSpec = IngestTemplateVersionRequest['sources'][number];

/**
 * A source's display name (SOURCE_NAME_PATTERN): hooks see it as BP_SOURCE_NAME and their log
 * lines start with it (else with the id). Never used to name a dataset.
 */
export const SOURCE_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** PUT /v1/templates/:templateId/versions/:version — ingest every source, then one atomic snapshot `@<version>`. */
export type IngestTemplateVersionRequest = z.output<typeof S.IngestBody>;

/**
 * Hooks run on each database source (postgres, mariadb) after it is copied and before the version is snapshotted (to
 * mask or clean production data), on a private server of the copy that listens on a socket only.
 * A failing hook fails the ingest (422 ingest-failed naming it) and leaves no version.
 */
export type IngestHooks = NonNullable<IngestTemplateVersionRequest['hooks']>;

/**
 * Shell hooks run as `sh -e -c <script>` as the OS identity of the template or container (a uid
 * of its own, never root or postgres), in an empty temporary directory, with the agent's hook
 * timeout (BP_HOOK_TIMEOUT_MS); stdout and stderr become the hook log (its last lines when long).
 * A non-zero exit or the timeout fails the hook. The environment: PGHOST (the server's socket
 * directory), PGPORT, PGUSER and PGPASSWORD (a superuser that can log in only while the hook
 * runs), PGDATABASE
 * (the source's database), BP_SOURCE_ID, BP_SOURCE_NAME, and BP_TEMPLATE_ID (afterIngestShell)
 * or BP_CONTAINER_ID (afterStartShell); PATH starts with the agent's PostgreSQL binaries.
 */
export type ShellHookEnvironment =
  | 'PGHOST'
  | 'PGPORT'
  | 'PGUSER'
  | 'PGPASSWORD'
  | 'PGDATABASE'
  | 'BP_SOURCE_ID'
  | 'BP_SOURCE_NAME'
  | 'BP_TEMPLATE_ID'
  | 'BP_CONTAINER_ID';

/** The longest shell hook script the agent accepts. */
export const MAX_SHELL_HOOK_LENGTH = 65536;

/** Output of the hooks a call ran, a line per SQL statement, notice or output line, each prefixed with the source. */
export type HookOutput = z.output<typeof A.HookOutputAnswer>;

/** A template version and its sources (progress while ingesting). */
export type TemplateVersionStatus = z.output<typeof A.TemplateVersionAnswer>;

/** Where a new branch's data comes from. */
export type BranchOrigin = CreateBranchRequest['origin'];

/** PUT /v1/containers/:containerId — create the container and reserve one fixed port per database source. */
export type CreateContainerRequest = z.output<typeof S.CreateContainerBody>;

/** A role name a template may keep (`keepRoles`): not the owner role, not the hooks' role. */
export const CLONE_ROLE_PATTERN = /^(?!branchpoint$|branchpoint_hook$)[a-z_][a-z0-9_]{0,62}$/;

/** How many source roles a template may keep. */
export const MAX_KEEP_ROLES = 32;

/** PUT /v1/containers/:containerId/password — the container's new password (credential rotation). */
export type ContainerPasswordRequest = z.output<typeof S.ContainerPasswordBody>;

/** A server parameter name the API accepts (it must also exist in the server and not be a guarded one). */
export const SERVER_SETTING_PATTERN = /^[a-z][a-z0-9_]{0,62}(\.[a-z][a-z0-9_]{0,62})?$/;

/**
 * Server parameters no owner may change: they name files, libraries or programs, or change how
 * the server is reached, logged or replicated (the agent fixes most of them on the command line).
 */
export const GUARDED_SERVER_SETTING =
  /(_command|_file|_directory|_directories|_path|_prefix|librar|^ssl|^log_|^logging_|^syslog|^event_source|^krb|^bonjour|^listen_addresses$|^port$|^unix_socket|^wal_level$|^max_wal_senders$|^primary_|^recovery_|^archive|^restore|^data_|^hba|^ident|^config|^cluster_name$|^jit_provider$|^dynamic_shared_memory_type$|^password_encryption$|^superuser_reserved_connections$|^shared_memory_type$|^huge_pages$|^max_replication_slots$|^wal_sync_method$|^fsync$|^full_page_writes$|^zero_damaged_pages$|^ignore_)/;

/**
 * PATCH /v1/containers/:containerId/settings — server parameters of the active branch's servers,
 * written with ALTER SYSTEM into the branch's data (so each branch keeps its own), then a reload,
 * or a restart when a parameter needs one. A null value resets the parameter to the clone default.
 * Parameters that touch files, programs, the network or replication are refused (400).
 */
export type ServerSettingsRequest = z.output<typeof S.ServerSettingsBody>;

/** GET /v1/containers/:containerId/settings — what the owner changed on the active branch. */
export type ServerSettings = z.output<typeof A.SettingsAnswer>;

/** The answer of PATCH settings: the settings now, and whether the servers restarted. */
export type ServerSettingsResult = z.output<typeof A.SettingsResultAnswer>;

/** GET /v1/tls/ca — clone servers speak TLS with certificates this host's CA signed. */
export type CloneCertificateAuthority = z.output<typeof A.CloneCaAnswer>;

/** A container, its active branch and its servers' endpoints. */
export type ContainerStatus = z.output<typeof A.ContainerAnswer>;

/** GET /v1/containers/:containerId/origins — what a host it moves to must hold first. */
export type ContainerOrigins = z.output<typeof A.OriginsAnswer>;

/** PUT /v1/containers/:containerId/moved-in — the move's snapshots to drop once it is here. */
export type MovedInRequest = z.output<typeof S.MovedInBody>;

/** GET /v1/containers/:containerId/activity — what an idle stop decides on. */
export type ContainerActivity = z.output<typeof A.ActivityAnswer>;

/** Where clients reach one source of a container's active branch. */
export type AgentEndpoint = z.output<typeof A.EndpointAnswer>;

/** PUT /v1/containers/:containerId/branches/:branchId — clone the origin into the branch's first generation (and, with `firstPointId`, snapshot it as the branch's first point). */
export type CreateBranchRequest = z.output<typeof S.CreateBranchBody>;

/** PUT /v1/containers/:containerId/branches/:branchId/points/:pointId — CHECKPOINT, then `snapshot -r`. */
export type PointStatus = z.output<typeof A.PointAnswer>;

/**
 * PUT /v1/containers/:containerId/branches/:branchId/generations/:generationId — restore: the
 * branch's data becomes a clone of `fromPointId` (of this branch or, with `fromBranchId`, of
 * another branch of the same container), or of a template version (`fromTemplate`: how a
 * refresh brings new data in). Later points stay; nothing is rolled back. With `afterPointId`
 * the new data is snapshotted as that point while the servers are still stopped (no CHECKPOINT).
 */
export type RestoreRequest = z.output<typeof S.RestoreBody>;

/** The answer of a restore; `hookLog` when it started the servers again (the branch is active). */
export type RestoreResult = z.output<typeof A.RestoreAnswer>;

/** POST /v1/containers/:containerId/branches/:branchId/reset — roll back to the newest point. */
export type ResetResult = z.output<typeof A.ResetAnswer>;

/** PUT /v1/containers/:containerId/active — stop the active branch's servers, start this one's on the same ports. */
export type ActivateRequest = z.output<typeof S.ActivateBody>;

/** PUT /v1/holds/:holdTag body — keep a point's snapshots from being destroyed while a bookmark exists. */
export type HoldRequest = z.output<typeof S.HoldBody>;

/** PUT …/points/:pointId body (optional): `holdTag` holds the new point at once (a bookmark). */
export type PointRequest = NonNullable<z.output<typeof S.PointBody>>;

/** What a catalog record is kept on. */
export type CatalogTarget = CatalogRecordRequest['target'];

/** PUT /v1/catalog — the control plane's record of an object, kept in `branchpoint:catalog` so the catalog can be rebuilt from the host. */
export type CatalogRecordRequest = z.output<typeof S.CatalogBody>;

/** The largest catalog record (its JSON, in UTF-8 bytes) the agent keeps; larger ones are a 400. */
export const MAX_CATALOG_RECORD_BYTES = 8000;

/**
 * Step boundaries of the agent's operations where a test may kill it (`kill -9`), to prove that
 * a repeat of the interrupted call completes it. Only an agent started with
 * `BP_FAULT_INJECTION=on` has `PUT /v1/test/fault {step}` and `DELETE /v1/test/fault`; elsewhere
 * the steps are inert. The control plane's own steps are CONTROL_PLANE_FAULT_STEPS.
 */
export const AGENT_FAULT_STEPS = [
  /** The container dataset exists; its OS identity and afterStart hooks are not written yet. */
  'container.create:after-dataset',
  /** The container's servers are stopped; nothing is destroyed yet. */
  'container.delete:after-stop',
  /** One dataset of the container is destroyed, the rest not yet. */
  'container.delete:mid-destroy',
  /** The branch dataset exists; no source is cloned yet. */
  'branch.create:after-branch',
  /** Every source is cloned; the branch's generation is not set yet. */
  'branch.create:after-clone',
  /** The branch's generation is set; the container's active branch (its first) not yet. */
  'branch.create:after-generation',
  /** One dataset of the branch is destroyed, the rest not yet. */
  'branch.delete:mid-destroy',
  /** The branch's servers ran CHECKPOINT; no snapshot yet. */
  'point.create:after-checkpoint',
  /** The point's snapshot exists; the call has not answered. */
  'point.create:after-snapshot',
  /** The old branch's servers are stopped; the active branch is still the old one. */
  'activate:after-stop',
  /** The active branch is the new one; its servers are not started. */
  'activate:after-switch',
  /** The new branch's servers run; the call has not answered. */
  'activate:after-start',
  /** The branch's servers are stopped (when it is the active one); nothing is cloned yet. */
  'restore:after-stop',
  /** The new generation is cloned; the branch still names the old one. */
  'restore:after-clone',
  /** The branch names the new generation; the servers are not started again. */
  'restore:after-switch',
  /** The servers run on the new generation; the call has not answered. */
  'restore:after-start',
  /** The branch's servers are stopped (when it is the active one); nothing is rolled back yet. */
  'reset:after-stop',
  /** The sources are rolled back (or cloned again); the servers are not started again. */
  'reset:after-rollback',
  /** The servers run again; the call has not answered. */
  'reset:after-start',
  /** The hold tag is in `branchpoint:holds`; `zfs hold` has not run. */
  'hold:after-record',
  /** The point is held; the call has not answered. */
  'hold:after-hold',
  /** The hold is released; its tag is still in `branchpoint:holds`. */
  'release:after-release',
  /** Every source of the template is copied (and its hooks ran); no version snapshot yet. */
  'ingest:after-copy',
  /** The version's snapshot exists; the call has not answered. */
  'ingest:after-snapshot',
  /** One dataset of the template is destroyed, the rest not yet. */
  'template.delete:mid-destroy',
] as const;

export type AgentFaultStep = (typeof AGENT_FAULT_STEPS)[number];

/** PUT /v1/test/fault (only with BP_FAULT_INJECTION=on): the agent kills itself when it reaches `step`. */
export type AgentFaultRequest = z.output<typeof S.FaultBody>;

export type AgentCapacity = z.output<typeof A.CapacityAnswer>;

export type InventoryDataset = z.output<typeof A.InventoryDatasetAnswer>;

export type InventoryInstance = z.output<typeof A.InventoryInstanceAnswer>;

/** The header a control plane names its installation with (see above). */
export const INSTALLATION_HEADER = 'x-branchpoint-installation';

/**
 * The header an agent streaming a transfer to another presents its one-time grant in (instead of
 * the bearer token): the receiver knows only the grant's SHA-256, given by the control plane
 * (PUT /v1/transfers/:transferId), accepts it once, before it expires, for that subject only.
 */
export const TRANSFER_GRANT_HEADER = 'x-branchpoint-transfer-grant';

/** The header the sending agent names what it streams in (TransferSubject as JSON): it must match the grant. */
export const TRANSFER_SUBJECT_HEADER = 'x-branchpoint-transfer-subject';

export type TransferSubject = z.output<typeof S.TransferSubject>;
export type ExpectTransferRequest = z.output<typeof S.ExpectTransferBody>;
export type SendTransferRequest = z.output<typeof S.SendTransferBody>;
export type TransferStatus = z.output<typeof A.TransferAnswer>;

/** An installation id: what INSTALLATION_HEADER and `branchpoint:installation` carry. */
export const INSTALLATION_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

export type ClaimRequest = z.output<typeof S.ClaimBody>;
export type ClaimResult = z.output<typeof A.ClaimAnswer>;

/** GET /v1/inventory — what the agent owns, for reconciliation. */
export type AgentInventory = z.output<typeof A.InventoryAnswer>;

/**
 * Error body of every 4xx/5xx answer. `code` is stable; `message` names the problem; `hookLog`
 * is the output of the hooks the call ran, the failing one's last.
 */
export interface AgentError extends HookOutput {
  statusCode: number;
  code: AgentErrorCode;
  message: string;
}

export type AgentErrorCode =
  | 'bad-request'
  | 'unauthorized'
  | 'not-found'
  | 'busy'
  | 'has-dependents'
  | 'held'
  | 'conflict'
  /** The dataset carries another installation's id: this control plane may not change it. */
  | 'foreign-installation'
  | 'ingest-failed'
  | 'instance-failed'
  | 'internal';

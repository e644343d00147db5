import { currentInstallation } from './installation.js';

/**
 * `branchpoint:*` ZFS user properties. Every dataset the agent creates carries `kind`, its ids
 * and `created-at`, so an inventory can be reconciled with the control plane's records.
 */
export const PROPERTY = {
  kind: 'branchpoint:kind',
  templateId: 'branchpoint:template-id',
  containerId: 'branchpoint:container-id',
  branchId: 'branchpoint:branch-id',
  generationId: 'branchpoint:generation-id',
  /** received point: the id of the point (on the host it was received from). */
  pointId: 'branchpoint:point-id',
  sourceId: 'branchpoint:source-id',
  sourceKind: 'branchpoint:source-kind',
  createdAt: 'branchpoint:created-at',
  /** postgres sources: the database named in the source connection string. */
  database: 'branchpoint:database',
  /** postgres sources: the role the source was ingested with (a first guess for a local superuser). */
  ingestRole: 'branchpoint:ingest-role',
  /** container: `<sourceId>:<kind>:<port|->` for every source, comma-separated. */
  sources: 'branchpoint:sources',
  /** container: SCRAM-SHA-256 verifier of the container password. */
  passwordVerifier: 'branchpoint:password-verifier',
  /** container: `on` while its servers should run (start/activate), `off` after stop. */
  serversWanted: 'branchpoint:servers',
  /** container: `on` when the owner role is a superuser (the template allows it). */
  ownerSuperuser: 'branchpoint:owner-superuser',
  /** container: source roles that keep LOGIN with the container's password, comma-separated. */
  keepRoles: 'branchpoint:keep-roles',
  /** container: the active branch id. */
  activeBranch: 'branchpoint:active-branch',
  /** branch: its current generation id (set last, so a half-created branch has none). */
  generation: 'branchpoint:generation',
  /** generation: set once it became the branch's current one (a later restore with its id is refused). */
  currentSince: 'branchpoint:current-since',
  /** branch or generation: the snapshot it was cloned from. */
  origin: 'branchpoint:origin',
  /** container or template: the OS uid (and gid) its servers and hooks run as. */
  uid: 'branchpoint:uid',
  /** postgres sources: the cluster's bootstrap superuser, the role the agent administers it as. */
  superuser: 'branchpoint:superuser',
  /** template, version, container, branch or point snapshot: the control plane's record of it (JSON). */
  catalog: 'branchpoint:catalog',
  /** a point's top generation snapshot: its hold tags, sorted, comma-separated (who holds it: see POINT_HOLD). */
  holds: 'branchpoint:holds',
  /**
   * every dataset created on a control plane's call: that control plane's installation id. A
   * container or template whose top dataset carries another id is refused to that control plane.
   */
  installation: 'branchpoint:installation',
  /** container: the snapshots of the move that brought it here, once it became this host's. */
  movedIn: 'branchpoint:moved-in',
  /** the root dataset: the agent's own stable identity (one agent, one registered host). */
  agentId: 'branchpoint:agent-id',
  /** received point: when a transfer last delivered or reused it (its sweep waits a while after). */
  usedAt: 'branchpoint:used-at',
  /** preview: its id. */
  previewId: 'branchpoint:preview-id',
  /** preview: `<containerId>/<branchId>/<pointId>`, the point it serves. */
  previewOf: 'branchpoint:preview-of',
  /** preview: ISO time after which the agent destroys it. */
  expiresAt: 'branchpoint:expires-at',
} as const;

/**
 * The one `zfs hold` tag of a held point, whichever bookmarks hold it (`branchpoint:holds` names
 * them): holds of one tag on many points go in one `zfs hold -r` (zfs/batched-commands.ts),
 * where a tag per bookmark would queue a command per bookmark.
 */
export const POINT_HOLD = 'branchpoint';

export type DatasetKind =
  | 'root'
  | 'template'
  | 'template-source'
  | 'container'
  | 'branch'
  | 'generation'
  | 'source'
  | 'preview'
  | 'preview-source'
  | 'received-point'
  | 'received-point-source';

/** The properties every created dataset starts with. */
export function identity(
  kind: DatasetKind,
  ids: Partial<
    Record<
      | 'templateId'
      | 'containerId'
      | 'branchId'
      | 'generationId'
      | 'sourceId'
      | 'previewId'
      | 'pointId',
      string
    >
  >,
): Record<string, string> {
  const properties: Record<string, string> = {
    [PROPERTY.kind]: kind,
    [PROPERTY.createdAt]: new Date().toISOString(),
  };
  const installation = currentInstallation();
  if (installation !== undefined && kind !== 'root')
    properties[PROPERTY.installation] = installation;
  for (const [key, value] of Object.entries(ids)) {
    if (value !== undefined) properties[PROPERTY[key as keyof typeof ids]] = value;
  }
  return properties;
}

/**
 * Control-plane operations: every one runs as a queued job. The names are the queue's job
 * names; the payloads carry every id the job needs, generated and stored before the first
 * agent call, so a retried step repeats the same idempotent agent calls.
 */
export enum JobName {
  IngestTemplateVersion = 'ingest-template-version',
  CreateContainer = 'create-container',
  DeleteContainer = 'delete-container',
  CreateBranch = 'create-branch',
  ActivateBranch = 'activate-branch',
  DeleteBranch = 'delete-branch',
  CreateBookmark = 'create-bookmark',
  RestoreBranch = 'restore-branch',
  ResetBranch = 'reset-branch',
  UndoContainer = 'undo-container',
  RefreshContainer = 'refresh-container',
  StartContainer = 'start-container',
  StopContainer = 'stop-container',
  UpdateContainerSettings = 'update-container-settings',
  RotateContainerPassword = 'rotate-container-password',
  DestroyOrphans = 'destroy-orphans',
  ReplicateTemplate = 'replicate-template',
  RemoveTemplateHost = 'remove-template-host',
  CreatePreview = 'create-preview',
  ComputeDiff = 'compute-diff',
  RebaseBranch = 'rebase-branch',
  MoveContainer = 'move-container',
}

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed';

/** The public view of a job: `GET /api/v1/jobs/:id` and the `job.updated` event. */
export interface JobView {
  id: string;
  type: JobName;
  containerId: string | null;
  state: JobState;
  progress: number;
  error?: string;
  result?: Record<string, unknown>;
  /**
   * What the job did, oldest first: its steps and the output of template hooks it ran. At most
   * JOB_LOG_MAX_LINES lines and JOB_LOG_MAX_BYTES; past that the last line is JOB_LOG_TRUNCATED.
   */
  log: string[];
  /** ISO date-times. */
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export const JOB_LOG_MAX_LINES = 1000;
export const JOB_LOG_MAX_BYTES = 64 * 1024;
export const JOB_LOG_TRUNCATED = '… truncated';

export interface IngestTemplateVersionPayload {
  templateId: string;
  version: string;
}

export interface CreateContainerPayload {
  containerId: string;
  branchId: string;
  pointId: string;
  /** Set when the container starts from a bookmark instead of the template's latest version. */
  fromBookmarkId?: string;
}

export interface DeleteContainerPayload {
  containerId: string;
}

/** A timeline point of some branch of some container. */
export interface PointRef {
  containerId: string;
  branchId: string;
  pointId: string;
}

export interface CreateBranchPayload {
  containerId: string;
  branchId: string;
  /** The new branch's first point. */
  pointId: string;
  origin: PointRef;
  /** The origin point does not exist yet: take it first (a branch from "now"). */
  snapshotOrigin: boolean;
}

export interface ActivateBranchPayload {
  containerId: string;
  branchId: string;
}

export interface DeleteBranchPayload {
  containerId: string;
  branchId: string;
}

export interface BookmarkFields {
  name: string;
  description: string | null;
  tags: string[];
  bugRef: string | null;
  /** ISO date-time, or null for no expiry. */
  expiresAt: string | null;
}

export interface CreateBookmarkPayload {
  containerId: string;
  branchId: string;
  bookmarkId: string;
  pointId: string;
  bookmark: BookmarkFields;
}

/** The ids a timeline-changing operation records: a point before, a new generation, a point after. */
export interface TimelineStepIds {
  containerId: string;
  branchId: string;
  beforePointId: string;
  generationId: string;
  afterPointId: string;
}

export interface RestoreBranchPayload extends TimelineStepIds {
  /** The point to restore to, of this branch or another branch of the same container. */
  targetPointId: string;
  targetBranchId: string;
}

export type ResetBranchPayload = TimelineStepIds;

export type UndoContainerPayload = TimelineStepIds;

export interface RefreshContainerPayload extends TimelineStepIds {
  /** The template version the active branch's new generation is cloned from. */
  version: string;
}

export type StartContainerPayload = DeleteContainerPayload;

export interface StopContainerPayload {
  containerId: string;
  /** `idle`: the idle stop decided it; the job looks at the activity again before stopping. */
  reason: 'owner' | 'idle';
}

/**
 * Server settings of the active branch: a point before (undo returns to it, and with it the old
 * settings, which live in the branch's data), the change, a `settings` point after.
 */
export interface UpdateContainerSettingsPayload {
  containerId: string;
  /** The active branch when the change was asked for; the job refuses if another is active by then. */
  branchId: string;
  beforePointId: string;
  afterPointId: string;
  /** Parameter name to its new value, or null to reset it to the clone default. */
  settings: Record<string, string | null>;
}

/** A new generated container password; the job makes it, so it never sits in the queue. */
export interface RotateContainerPasswordPayload {
  containerId: string;
  /** `owner-removed`: done because a co-owner lost access. */
  reason: 'requested' | 'owner-removed';
}

/**
 * Datasets of one host the catalog does not know, that an admin confirmed for destruction: each
 * with the fingerprint the admin saw (anything changed since, and nothing is destroyed).
 */
export interface DestroyOrphansPayload {
  hostId: string;
  orphans: { key: string; fingerprint: string }[];
}

/** Clones a point on its host and serves it read-only until the preview's expiry. */
export interface CreatePreviewPayload {
  previewId: string;
}

/** Compares two points on read-only clones of both (the diff row holds what and the result). */
export interface ComputeDiffPayload {
  diffId: string;
}

/**
 * Replays a branch's changes since its base point onto a new branch of a newer template version
 * (the rebase row holds what and the result).
 */
export interface RebaseBranchPayload {
  rebaseId: string;
}

/**
 * Brings an added host of a template up to the template's newest ready version: the whole
 * template when the host holds none, else the increment from the newest version it holds.
 */
export interface ReplicateTemplatePayload {
  templateId: string;
  hostId: string;
}

/** Destroys a template's copy on an added host and forgets the host (not the origin). */
export interface RemoveTemplateHostPayload {
  templateId: string;
  hostId: string;
}

/**
 * Moves a container with all its branches, points and bookmarks from host `fromHostId` to
 * `hostId`: a copy while it runs, then, with its servers stopped, the increment since (the
 * snapshots `copy` and `final` of its tree, named once for every attempt of the job).
 */
export interface MoveContainerPayload {
  containerId: string;
  fromHostId: string;
  hostId: string;
  snapshots: { copy: string; final: string };
}

export interface JobPayloads {
  [JobName.IngestTemplateVersion]: IngestTemplateVersionPayload;
  [JobName.CreateContainer]: CreateContainerPayload;
  [JobName.DeleteContainer]: DeleteContainerPayload;
  [JobName.CreateBranch]: CreateBranchPayload;
  [JobName.ActivateBranch]: ActivateBranchPayload;
  [JobName.DeleteBranch]: DeleteBranchPayload;
  [JobName.CreateBookmark]: CreateBookmarkPayload;
  [JobName.RestoreBranch]: RestoreBranchPayload;
  [JobName.ResetBranch]: ResetBranchPayload;
  [JobName.UndoContainer]: UndoContainerPayload;
  [JobName.RefreshContainer]: RefreshContainerPayload;
  [JobName.StartContainer]: StartContainerPayload;
  [JobName.StopContainer]: StopContainerPayload;
  [JobName.UpdateContainerSettings]: UpdateContainerSettingsPayload;
  [JobName.RotateContainerPassword]: RotateContainerPasswordPayload;
  [JobName.DestroyOrphans]: DestroyOrphansPayload;
  [JobName.ReplicateTemplate]: ReplicateTemplatePayload;
  [JobName.RemoveTemplateHost]: RemoveTemplateHostPayload;
  [JobName.CreatePreview]: CreatePreviewPayload;
  [JobName.ComputeDiff]: ComputeDiffPayload;
  [JobName.RebaseBranch]: RebaseBranchPayload;
  [JobName.MoveContainer]: MoveContainerPayload;
}

export const ALL_JOB_NAMES: readonly JobName[] = Object.values(JobName);

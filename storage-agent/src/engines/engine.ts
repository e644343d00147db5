import type { SourceKind, SourceSpec } from '@branchpoint/contracts';
import type { HookSet } from '../hooks/hook-set.js';
import type { OsIdentity } from '../identity/os-identity.js';

/**
 * The engine interface: everything the agent does that depends on what a source is (a
 * PostgreSQL cluster, a MariaDB server, a directory). Templates, containers and branches speak
 * only to this; adding an engine adds one folder beside postgres/ and one line in engines.ts.
 */
export interface Engine {
  readonly kind: SourceKind;
  /** Refuses (400) a source this engine cannot ingest, before anything is created for it. */
  check?(source: SourceSpec): void;
  /** Copies a source into an empty template dataset and makes it fit to be a version. */
  ingest(target: IngestTarget): Promise<IngestedSource>;
  /** The clone servers of this engine; null when clones are mounted directories and serve nothing. */
  readonly servers: CloneServers | null;
}

/** Where and as whom a source is ingested. */
export interface IngestTarget {
  templateId: string;
  source: SourceSpec;
  /** The template source dataset's mountpoint (it may hold an older copy: the engine empties it). */
  dataDir: string;
  /** The template's OS identity. */
  identity: OsIdentity;
  /** afterIngest hooks (run by engines with SQL hooks on a private server of the copy). */
  hooks: HookSet;
  hookLog: string[];
  onProgress: (percent: number) => void;
}

/** What an ingest learned, kept in the template dataset's properties and carried to every clone. */
export interface IngestedSource {
  /** The database clients of the clones use. */
  database?: string;
  /** The role the source connection string logged in as. */
  ingestRole?: string;
  /** The superuser the agent logs in as on clones. */
  superuser?: string;
}

/** The container's owner: who clients log in as, with the container's password. */
export interface CloneOwner {
  /** This engine's verifier of the container password (see CloneServers.passwordVerifier). */
  passwordVerifier: string;
  /** Whether the owner is a superuser of its server (the template's choice). */
  superuser: boolean;
  /** Source roles that keep their login, with the container's password. */
  keepRoles: string[];
}

/** One server of a container source (the active branch's data directory on the source's port). */
export interface CloneServer extends IngestedCarried {
  containerId: string;
  sourceId: string;
  dataDir: string;
  port: number;
  identity: OsIdentity;
  owner: CloneOwner;
  /** The display name the control plane gave the source, for hook logs. */
  sourceName: string | null;
}

/** The ingest's findings as a clone carries them (null: unknown). */
export interface IngestedCarried {
  database: string | null;
  roleHint: string | null;
  superuser: string | null;
}

export interface ServerState {
  pid: number | null;
  running: boolean;
}

/**
 * Lifecycle of clone servers. Keeps no state: whether a server runs is read from its data
 * directory and /proc each time, so a restarted agent sees what runs.
 */
export interface CloneServers {
  /** The role clients log in as (the owner role). */
  readonly ownerRole: string;
  /** The container property (without `branchpoint:`) that keeps this engine's password verifier. */
  readonly passwordProperty: string;
  /** What the agent keeps of the container password for this engine (never the password). */
  passwordVerifier(password: string): string;
  state(dataDir: string): Promise<ServerState>;
  /** Starts the server unless it runs, waits until ready, applies the owner's password; answers whether it launched it. */
  start(server: CloneServer): Promise<boolean>;
  /** Stops the server; waits until it is gone. */
  stop(dataDir: string): Promise<void>;
  /**
   * Makes the data directory consistent for a snapshot taken next (a checkpoint, or writes
   * blocked); answers the release, called right after the snapshot whatever its outcome.
   */
  quiesce(server: CloneServer): Promise<() => Promise<void>>;
  /** Gives the owner the container's (new) password in the running server and ends its old sessions. */
  rotatePassword(server: CloneServer): Promise<void>;
  /** When a client last used the running server. */
  lastActivity(server: CloneServer): Promise<Date>;
  /** Runs afterStart hooks in a server just launched; a failure stops it. Appends their output to `log`. */
  runAfterStart(server: CloneServer, hooks: HookSet, log: string[]): Promise<void>;
  /** Removes what the engine keeps for a container outside its datasets (configuration files). */
  forget(containerId: string): Promise<void>;
  /** Server parameters the owner may change (engines without them: undefined). */
  readonly settings?: ServerSettingsAccess;
  /** Serving a point's clone read-only (previews, compares); engines without it: undefined. */
  readonly readOnly?: ReadOnlyServing;
}

/** A read-only server of a point's clone: an identity, a port and a reader login of its own. */
export interface ReadOnlyServer extends IngestedCarried {
  /** Names its configuration directory and log (`preview-<id>`), apart from every container's. */
  name: string;
  sourceId: string;
  dataDir: string;
  port: number;
  identity: OsIdentity;
  /** SCRAM verifier of the reader role's password. */
  readerVerifier: string;
}

/** Makes clones read-only servers; they stop with CloneServers.stop and are forgotten with forget(name). */
export interface ReadOnlyServing {
  /** The role readers log in as: it may read every table and change nothing. */
  readonly readerRole: string;
  /** Makes the clone read-only and starts it; a running one is left as it is. */
  start(server: ReadOnlyServer): Promise<void>;
}

/** Reading and changing a running server's parameters (ALTER SYSTEM and the like). */
export interface ServerSettingsAccess {
  changed(
    server: CloneServer,
  ): Promise<{ settings: Record<string, string>; pendingRestart: string[] }>;
  /** Applies the values; answers whether the server must restart for them. */
  update(server: CloneServer, settings: Record<string, string | null>): Promise<boolean>;
  /** Refuses (400) a parameter the owner may not change. */
  assertChangeable(name: string): void;
}

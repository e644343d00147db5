import type { Readable } from 'node:stream';
import {
  spawnStreaming,
  type CommandResult,
  type CommandRunner,
  type StreamingCommand,
} from '../common/command-runner.js';
import { timedStep } from '../common/step-times.js';
import { BatchedCommands, getArgs } from './batched-commands.js';
import { knownRead, readOnce } from './call-reads.js';
import { ZfsBusyError, ZfsError, ifMissing, mapZfsError } from './zfs.errors.js';
import { optional, parseRows, parseSize } from './zfs.parse.js';

/** One dataset or snapshot as Zfs.describe reads it. */
export interface DatasetInfo {
  name: string;
  type: 'filesystem' | 'snapshot';
  origin: string | null;
  usedBytes: number;
  referencedBytes: number;
  userrefs: number;
  /** A snapshot marked by `destroy -d`: it goes away with its last clone or hold. */
  deferDestroy: boolean;
  /** Seconds since the epoch. */
  creation: number;
  mountpoint: string | null;
  mounted: boolean;
  /** `branchpoint:*` user properties set on this dataset itself (not inherited), without the prefix. */
  properties: Record<string, string>;
}

interface PropertyRow {
  name: string;
  property: string;
  value: string;
  source: string;
}

export interface PoolStatus {
  name: string;
  sizeBytes: number;
  freeBytes: number;
  allocatedBytes: number;
  health: string;
}

const USER_PREFIX = 'branchpoint:';

/** The native properties DatasetInfo is made of. */
const DESCRIBED_NATIVE = [
  'type',
  'origin',
  'used',
  'referenced',
  'userrefs',
  'defer_destroy',
  'creation',
  'mountpoint',
  'mounted',
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The typed ZFS driver: the only code that runs `zfs` and `zpool`, restricted to the command
 * subset both OpenZFS and zfs-fuse support (see docs/zfs-layout.md).
 */
export class Zfs {
  private readonly batched: BatchedCommands;
  /**
   * What a describe reads, by name: `zfs get all` costs about four times as much on zfs-fuse
   * (it works out every native property, some by opening the dataset), and twenty calls at once
   * each describing their container and branch queue behind it.
   */
  private readonly described: Set<string>;
  private readonly describedList: string;

  /** `userProperties`: every `branchpoint:*` property the agent reads (an unlisted one reads as unset in a describe). */
  constructor(
    private readonly run: CommandRunner,
    userProperties: readonly string[],
  ) {
    this.batched = new BatchedCommands((args) => this.run('zfs', args));
    this.described = new Set([...DESCRIBED_NATIVE, ...userProperties]);
    this.describedList = [...this.described].join(',');
  }

  /** `zfs create -p -o k=v … <name>`; a dataset that exists already is left as it is (a repeated call). */
  async create(name: string, properties: Record<string, string> = {}): Promise<void> {
    await this.zfs(['create', '-p', ...propertyOptions(properties), name]);
  }

  /**
   * `zfs snapshot -r [-o k=v …] <dataset>@<snapshot>`: one atomic snapshot of the dataset and
   * every descendant (each with the properties, when given).
   */
  async snapshotRecursive(
    snapshot: string,
    properties: Record<string, string> = {},
  ): Promise<void> {
    await this.zfs(['snapshot', '-r', ...propertyOptions(properties), snapshot]);
  }

  /** `zfs clone -o k=v … <snapshot> <target>`. */
  async clone(
    snapshot: string,
    target: string,
    properties: Record<string, string> = {},
  ): Promise<void> {
    await this.zfs(['clone', ...propertyOptions(properties), snapshot, target]);
  }

  /** `zfs rollback <snapshot>` (the newest snapshot only: never `-r`). */
  async rollback(snapshot: string): Promise<void> {
    await this.zfs(['rollback', snapshot]);
  }

  /**
   * `zfs destroy [-r] [-d] <name>`. zfs-fuse answers "busy" the first time it unmounts a
   * mounted filesystem, so a filesystem destroy is retried a few times before giving up.
   */
  async destroy(
    name: string,
    options: { recursive?: boolean; deferred?: boolean } = {},
  ): Promise<void> {
    const args = [
      'destroy',
      ...(options.recursive ? ['-r'] : []),
      ...(options.deferred ? ['-d'] : []),
      name,
    ];
    if (name.includes('@')) await this.zfs(args);
    else await this.whileBusy(args);
  }

  /**
   * `zfs rename <from> <to>` (a filesystem, with its descendants and snapshots); retried while
   * zfs-fuse still calls a filesystem it just mounted busy.
   */
  async rename(from: string, to: string): Promise<void> {
    await this.whileBusy(['rename', from, to]);
  }

  /**
   * `zfs send -R [-i|-I <from>] <snapshot>`: the replication stream of the dataset and every
   * descendant (with their properties, clone relations and the snapshots up to `snapshot`, or
   * only what changed after `from`: with `intermediates`, every snapshot in between as well), on
   * stdout. `done` rejects with a ZfsError when the send failed.
   */
  send(
    snapshot: string,
    from: string | null,
    { intermediates = false } = {},
  ): { stream: Readable; done: Promise<void> } {
    const args = ['send', '-R', ...(from ? [intermediates ? '-I' : '-i', from] : []), snapshot];
    const command = spawnStreaming('zfs', args, { stdout: true });
    if (!command.stdout) throw new ZfsError('zfs send has no stdout', args, '');
    return { stream: command.stdout, done: checked(command, args) };
  }

  /**
   * `zfs receive <target>` of a stream made by `send`. Without `-F`: an incremental stream needs
   * each dataset rolled back to its newest snapshot first (zfs-fuse counts a mount as a change).
   * A stream cut short leaves the datasets it did not reach as they were. `force` (`-F`): each
   * dataset goes back to its newest snapshot first, and what the sender no longer has goes.
   */
  async receive(target: string, input: Readable, { force = false } = {}): Promise<void> {
    const args = ['receive', ...(force ? ['-F'] : []), target];
    await checked(spawnStreaming('zfs', args, { stdin: input }), args);
  }

  /** `zfs hold -r <tag> <snapshot>`; holds of one tag asked for at once go in one command. */
  async hold(tag: string, snapshot: string): Promise<void> {
    await this.zfs(['hold', '-r', tag, snapshot]);
  }

  /** `zfs release -r <tag> <snapshot>`. */
  async release(tag: string, snapshot: string): Promise<void> {
    await this.zfs(['release', '-r', tag, snapshot]);
  }

  /** `zfs set <k>=<v> <name>`. */
  async set(name: string, property: string, value: string): Promise<void> {
    await this.zfs(['set', `${property}=${value}`, name]);
  }

  /** `zfs inherit <k> <name>`: unsets a user property (zfs-fuse refuses `zfs set k=`). */
  async inherit(name: string, property: string): Promise<void> {
    await this.zfs(['inherit', property, name]);
  }

  /** The value of one property of one dataset, or null when unset (`-`). */
  async getValue(name: string, property: string): Promise<string | null> {
    const [row] = await this.get(name, property);
    return optional(row?.value);
  }

  /** The value and where it comes from: `local`, `received` (brought by `zfs receive`), `inherited …`, `-`. */
  async getWithSource(
    name: string,
    property: string,
  ): Promise<{ value: string | null; source: string }> {
    const [row] = await this.get(name, property);
    return { value: optional(row?.value), source: row?.source ?? '-' };
  }

  /**
   * Datasets and snapshots at and below `name` (all, or `depth` levels), in `zfs` list order
   * (a dataset's snapshots oldest first), from one `zfs get -H -p` of the described properties,
   * for exact numbers.
   */
  async describe(name: string, options: { depth?: number } = {}): Promise<DatasetInfo[]> {
    const rows = await this.get(name, this.describedList, scopeArgs(options.depth));
    const byName = new Map<string, PropertyRow[]>();
    for (const row of rows) {
      const list = byName.get(row.name) ?? [];
      list.push(row);
      byName.set(row.name, list);
    }
    return [...byName.entries()].map(([datasetName, props]) => toDatasetInfo(datasetName, props));
  }

  /**
   * These datasets and snapshots themselves (depth 0), from one `zfs get … a b c`: the batched
   * reads of one turn go together. A missing name is left out.
   */
  async describeEach(names: string[]): Promise<DatasetInfo[]> {
    const each = await Promise.all(
      names.map((name) => this.describe(name, { depth: 0 }).catch(ifMissing([] as DatasetInfo[]))),
    );
    return each.flat();
  }

  /**
   * describeEach for the call's later reads of these datasets to be answered from
   * (call-reads.ts): one command where a call would otherwise read them one after another. A
   * failed read fails again where it is needed.
   */
  async prefetch(names: string[]): Promise<void> {
    await this.describeEach(names).catch(() => []);
  }

  /** The snapshots of one dataset (not of its children), oldest first by `createtxg`. */
  async snapshotsOldestFirst(dataset: string): Promise<string[]> {
    const rows = await this.get(dataset, 'createtxg', ['-d', '1']);
    return rows
      .filter((row) => row.name.startsWith(`${dataset}@`))
      .sort((a, b) => Number(a.value) - Number(b.value))
      .map((row) => row.name);
  }

  /** Every filesystem at and below `name` with the snapshot it was cloned from (null if none). */
  async listOrigins(name: string): Promise<{ name: string; origin: string | null }[]> {
    const stdout = await this.zfs([
      'list',
      '-H',
      '-r',
      '-t',
      'filesystem',
      '-o',
      'name,origin',
      name,
    ]);
    return parseRows(stdout).map(([n = '', origin]) => ({ name: n, origin: optional(origin) }));
  }

  /** Whether a dataset or snapshot exists. */
  async exists(name: string): Promise<boolean> {
    const result = await this.runZfs([
      'list',
      '-H',
      '-o',
      'name',
      '-t',
      name.includes('@') ? 'snapshot' : 'filesystem',
      name,
    ]);
    return result.exitCode === 0;
  }

  /** `zpool list -H -o name,size,free,allocated,health <pool>` (zfs-fuse has no `-p`: sizes may carry units). */
  async pool(pool: string): Promise<PoolStatus> {
    const args = ['list', '-H', '-o', 'name,size,free,allocated,health', pool];
    const result = await this.run('zpool', args);
    if (result.exitCode !== 0) throw mapZfsError('zpool', args, result.stderr);
    const [name = pool, size, free, allocated, health = 'UNKNOWN'] =
      parseRows(result.stdout)[0] ?? [];
    return {
      name,
      sizeBytes: parseSize(size),
      freeBytes: parseSize(free),
      allocatedBytes: parseSize(allocated),
      health,
    };
  }

  /**
   * `zfs get -H -p [scope] -o name,property,value,source <props> <name>`. Described properties of
   * one dataset that this call described already are taken from that answer (an unset user
   * property reads as unset there too).
   */
  private async get(
    name: string,
    properties: string,
    scope: string[] = [],
  ): Promise<PropertyRow[]> {
    const args = (props: string) => getArgs(scope, props, [name]);
    const wanted = properties.split(',');
    const described =
      scope.length === 0 &&
      properties !== this.describedList &&
      wanted.every((property) => this.described.has(property))
        ? knownRead(args(this.describedList))
        : undefined;
    if (described) {
      return propertyRows(checkedResult(await described, args(this.describedList))).filter(
        (row) => row.name === name && wanted.includes(row.property),
      );
    }
    return propertyRows(await this.zfs(args(properties)));
  }

  /** Runs `zfs <args>` again a few times while it answers "busy" (zfs-fuse unmounting or mounting). */
  private async whileBusy(args: string[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.zfs(args);
        return;
      } catch (error) {
        if (!(error instanceof ZfsBusyError) || attempt >= 8) throw error;
        await sleep(100 * attempt);
      }
    }
  }

  private async zfs(args: string[]): Promise<string> {
    return checkedResult(await this.runZfs(args), args);
  }

  /** `zfs <args>`, timed as a step of the call; a read the call made already is answered again. */
  private runZfs(args: string[]): Promise<CommandResult> {
    return readOnce(args, () =>
      timedStep(`zfs ${args[0] ?? ''}`, () => {
        const batchable = BatchedCommands.of(args);
        return batchable ? this.batched.submit(batchable) : this.run('zfs', args);
      }),
    );
  }
}

/** stdout of a `zfs` command that succeeded, else its error mapped to a type. */
function checkedResult(result: CommandResult, args: string[]): string {
  if (result.exitCode !== 0) throw mapZfsError('zfs', args, result.stderr || result.stdout);
  return result.stdout;
}

function propertyRows(stdout: string): PropertyRow[] {
  return parseRows(stdout).map(([n = '', property = '', value = '', source = '']) => ({
    name: n,
    property,
    value,
    source,
  }));
}

async function checked(command: StreamingCommand, args: string[]): Promise<void> {
  const result = await command.done;
  if (result.exitCode !== 0) throw mapZfsError('zfs', args, result.stderr);
}

/** All descendants (`-r`), none (depth 0) or `-d <depth>` levels. */
function scopeArgs(depth: number | undefined): string[] {
  if (depth === undefined) return ['-r'];
  return depth === 0 ? [] : ['-d', String(depth)];
}

function propertyOptions(properties: Record<string, string>): string[] {
  return Object.entries(properties).flatMap(([key, value]) => ['-o', `${key}=${value}`]);
}

const OWN_SOURCES = new Set(['local', 'received']);

function toDatasetInfo(name: string, rows: PropertyRow[]): DatasetInfo {
  const value = (property: string) =>
    optional(rows.find((row) => row.property === property)?.value);
  const type = value('type');
  if (type !== 'filesystem' && type !== 'snapshot')
    throw new ZfsError(`unexpected type '${type}' of ${name}`, [], '');
  // A dataset's own properties: set here (local) or brought by `zfs receive` from the agent that
  // made it (received); inherited ones belong to a parent.
  const properties: Record<string, string> = {};
  for (const row of rows) {
    if (row.property.startsWith(USER_PREFIX) && OWN_SOURCES.has(row.source))
      properties[row.property.slice(USER_PREFIX.length)] = row.value;
  }
  return {
    name,
    type,
    origin: value('origin'),
    usedBytes: parseSize(value('used') ?? undefined),
    referencedBytes: parseSize(value('referenced') ?? undefined),
    userrefs: Number(value('userrefs') ?? 0),
    deferDestroy: value('defer_destroy') === 'on',
    creation: Number(value('creation') ?? 0),
    mountpoint: value('mountpoint'),
    mounted: value('mounted') === 'yes',
    properties,
  };
}

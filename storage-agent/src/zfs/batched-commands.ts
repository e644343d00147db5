import type { CommandResult } from '../common/command-runner.js';

const OUTPUT = ['-o', 'name,property,value,source'];

/** `zfs get -H -p [scope] -o name,property,value,source <props> <names…>`: the one shape of every read of properties. */
export function getArgs(scope: string[], properties: string, names: string[]): string[] {
  return ['get', '-H', '-p', ...scope, ...OUTPUT, properties, ...names];
}

/** A command this class batches: commands of one kind differ only in the one name each gives. */
export interface Batchable {
  /** Commands of the same kind go together. */
  kind: string;
  name: string;
  /** How far below a name its answer reaches (Infinity for all): a name nested within another waits for the next batch. */
  depth: number;
  /** The command for these names. */
  argsFor(names: string[]): string[];
  /** One name's share of a batch's result; null when only running it alone tells. */
  shareOf(name: string, batch: CommandResult): CommandResult | null;
}

interface Waiting {
  name: string;
  resolve: (result: CommandResult) => void;
}

interface Queue {
  kind: Batchable;
  running: boolean;
  waiting: Waiting[];
}

/**
 * Commands of one kind on different datasets, asked for in one turn of the event loop or while
 * one of their kind runs, go together in one command: reads (`zfs get … <props> a b c`) and
 * holds (`zfs hold -r <tag> a@p b@q`). zfs-fuse serves its commands one at a time, so twenty
 * calls at once, each reading its container, would otherwise queue twenty processes where one
 * answers them all (about 45 ms for twenty names against 15 ms for one), and one call that needs
 * several datasets can ask for them at once (Zfs.prefetch). A command with nothing of its kind
 * running starts at the end of the turn, so a lone call waits for nothing; one that joins waits
 * only for the command already running, and its answer is as fresh as its own request (the
 * batch starts after it).
 */
export class BatchedCommands {
  private readonly queues = new Map<string, Queue>();

  constructor(private readonly run: (args: string[]) => Promise<CommandResult>) {}

  /** The batchable command `args` is, when it is one. */
  static of(args: readonly string[]): Batchable | null {
    return readOf(args) ?? holdOf(args);
  }

  /** The answer the command would give on its own. */
  submit(command: Batchable): Promise<CommandResult> {
    let queue = this.queues.get(command.kind);
    if (!queue) {
      queue = { kind: command, running: false, waiting: [] };
      this.queues.set(command.kind, queue);
    }
    const answer = new Promise<CommandResult>((resolve) =>
      queue.waiting.push({ name: command.name, resolve }),
    );
    if (!queue.running) {
      queue.running = true;
      // After the turn's other commands: a call's reads asked for together go in one command.
      setImmediate(() => void this.drain(queue));
    }
    return answer;
  }

  /** Runs the waiting commands together, then those that came meanwhile, until none wait. */
  private async drain(queue: Queue): Promise<void> {
    const { kind } = queue;
    while (queue.waiting.length > 0) {
      const batch = takeBatch(queue.waiting, kind.depth);
      const names = [...new Set(batch.map((one) => one.name))];
      const result = await this.run(kind.argsFor(names)).catch((error: unknown): CommandResult => ({
        stdout: '',
        stderr: String(error),
        exitCode: 1,
      }));
      const answers = new Map<string, Promise<CommandResult>>();
      for (const one of batch) {
        let answer = answers.get(one.name);
        if (!answer) {
          const share = names.length === 1 ? result : kind.shareOf(one.name, result);
          answer = share ? Promise.resolve(share) : this.run(kind.argsFor([one.name]));
          answers.set(one.name, answer);
        }
        void answer.then(one.resolve);
      }
    }
    queue.running = false;
  }
}

/** `zfs get -H -p [-d <n> | -r] -o name,property,value,source <props> <name>`. */
function readOf(args: readonly string[]): Batchable | null {
  if (args[0] !== 'get' || args[1] !== '-H' || args[2] !== '-p') return null;
  const scoped = args[3] === '-r' ? 1 : args[3] === '-d' ? 2 : 0;
  const scope = args.slice(3, 3 + scoped);
  const rest = args.slice(3 + scoped);
  if (rest.length !== 4 || rest[0] !== OUTPUT[0] || rest[1] !== OUTPUT[1]) return null;
  const depth = scoped === 0 ? 0 : scoped === 1 ? Infinity : Number(scope[1]);
  if (!Number.isInteger(depth) && depth !== Infinity) return null;
  const properties = rest[2] ?? '';
  return {
    kind: ['get', ...scope, properties].join('\0'),
    name: rest[3] ?? '',
    depth,
    argsFor: (names) => getArgs(scope, properties, names),
    // Its rows, or the error naming it; neither is an error zfs did not attribute.
    shareOf: (name, batch) => {
      const rows = batch.stdout
        .split('\n')
        .filter((line) => within(line.split('\t')[0] ?? '', name, depth));
      if (rows.length > 0) return { stdout: rows.join('\n'), stderr: '', exitCode: 0 };
      const errors = namedIn(batch.stderr, (named) => named === name);
      return errors.length > 0 ? { stdout: '', stderr: errors.join('\n'), exitCode: 1 } : null;
    },
  };
}

/**
 * `zfs hold -r <tag> <snapshot>`. zfs holds each snapshot of a batch on its own, and names the
 * ones it could not (or their datasets, or their descendants' snapshots): the others are held.
 */
function holdOf(args: readonly string[]): Batchable | null {
  if (args.length !== 4 || args[0] !== 'hold' || args[1] !== '-r') return null;
  const tag = args[2] ?? '';
  return {
    kind: ['hold', tag].join('\0'),
    name: args[3] ?? '',
    depth: 0,
    argsFor: (names) => ['hold', '-r', tag, ...names],
    shareOf: (name, batch) => {
      if (batch.exitCode === 0) return { stdout: '', stderr: '', exitCode: 0 };
      const [dataset, point] = name.split('@');
      const errors = namedIn(
        batch.stderr,
        (named) =>
          named === name ||
          named === dataset ||
          (named.startsWith(`${dataset}/`) && named.endsWith(`@${point}`)),
      );
      if (errors.length > 0) return { stdout: '', stderr: errors.join('\n'), exitCode: 1 };
      // Every line names another snapshot or dataset: this one was held.
      const lines = batch.stderr.split('\n').filter(Boolean);
      const attributed =
        lines.length > 0 && lines.every((line) => /^cannot (hold|open) '[^']+'/.test(line));
      return attributed ? { stdout: '', stderr: '', exitCode: 0 } : null;
    },
  };
}

/** The lines of `stderr` that quote a name `matches` accepts ("cannot open 'p/a': …"). */
function namedIn(stderr: string, matches: (named: string) => boolean): string[] {
  return stderr
    .split('\n')
    .filter((line) => [...line.matchAll(/'([^']+)'/g)].some((quoted) => matches(quoted[1] ?? '')));
}

/**
 * The waiting commands to run now: all of them, except a name below another one's (their
 * answers would mix): it waits for the next batch. Commands of the same name go together.
 */
function takeBatch(waiting: Waiting[], depth: number): Waiting[] {
  if (depth === 0) return waiting.splice(0);
  const names: string[] = [];
  for (const { name } of waiting)
    if (!names.some((other) => other === name || nested(name, other) || nested(other, name)))
      names.push(name);
  const taken = waiting.filter((one) => names.includes(one.name));
  const left = waiting.filter((one) => !names.includes(one.name));
  waiting.splice(0, waiting.length, ...left);
  return taken;
}

const nested = (name: string, parent: string) => name.startsWith(`${parent}/`);

/** Whether a row's dataset or snapshot is `name` or within `depth` levels below it (a snapshot is one level below its dataset). */
function within(row: string, name: string, depth: number): boolean {
  if (row === name) return true;
  if (!row.startsWith(`${name}/`) && !row.startsWith(`${name}@`)) return false;
  const below = row.slice(name.length + 1);
  const levels =
    row[name.length] === '@' ? 1 : below.split('/').length + (below.includes('@') ? 1 : 0);
  return levels <= depth;
}

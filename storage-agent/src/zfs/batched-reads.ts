import type { CommandResult } from '../common/command-runner.js';

const OUTPUT = ['-o', 'name,property,value,source'];

/** `zfs get -H -p [scope] -o name,property,value,source <props> <names…>`: the one shape of every read of properties. */
export function getArgs(scope: string[], properties: string, names: string[]): string[] {
  return ['get', '-H', '-p', ...scope, ...OUTPUT, properties, ...names];
}

/** A read this class batches: `zfs get -H -p [-d <n> | -r] -o name,property,value,source <props> <name>`. */
interface Read {
  /** `[]`, `['-d', n]` or `['-r']`. */
  scope: string[];
  /** How far below the name its rows go (Infinity for `-r`). */
  depth: number;
  properties: string;
  name: string;
}

interface Waiting {
  name: string;
  resolve: (result: CommandResult) => void;
}

interface Queue {
  read: Omit<Read, 'name'>;
  running: boolean;
  waiting: Waiting[];
}

/**
 * `zfs get` reads of different datasets of the same scope and properties, asked for in one turn
 * of the event loop or while one of their kind runs, go together: `zfs get … <props> a b c`.
 * zfs-fuse serves its commands one at a time, so twenty calls at once, each reading its
 * container, would otherwise queue twenty processes where one answers them all (about 45 ms for
 * twenty names against 15 ms for one), and one call that needs several datasets can ask for
 * them at once (Zfs.prefetch). A read with nothing of its kind running starts at the end of the
 * turn, so a lone call waits for nothing; one that joins waits only for the read already running,
 * and its answer is as fresh as its own request (the batch starts after it).
 */
export class BatchedReads {
  private readonly queues = new Map<string, Queue>();

  constructor(private readonly run: (args: string[]) => Promise<CommandResult>) {}

  /** The read `args` is, when it is one this class batches. */
  static readOf(args: readonly string[]): Read | null {
    if (args[0] !== 'get' || args[1] !== '-H' || args[2] !== '-p') return null;
    const scoped = args[3] === '-r' ? 1 : args[3] === '-d' ? 2 : 0;
    const scope = args.slice(3, 3 + scoped);
    const rest = args.slice(3 + scoped);
    if (rest.length !== 4 || rest[0] !== OUTPUT[0] || rest[1] !== OUTPUT[1]) return null;
    const depth = scoped === 0 ? 0 : scoped === 1 ? Infinity : Number(scope[1]);
    if (!Number.isInteger(depth) && depth !== Infinity) return null;
    return { scope, depth, properties: rest[2] ?? '', name: rest[3] ?? '' };
  }

  /** The answer `zfs get` of `read` would give on its own. */
  get({ name, ...read }: Read): Promise<CommandResult> {
    const key = [...read.scope, read.properties].join('\0');
    let queue = this.queues.get(key);
    if (!queue) {
      queue = { read, running: false, waiting: [] };
      this.queues.set(key, queue);
    }
    const answer = new Promise<CommandResult>((resolve) => queue.waiting.push({ name, resolve }));
    if (!queue.running) {
      queue.running = true;
      // After the turn's other reads: a call's reads asked for together go in one command.
      setImmediate(() => void this.drain(queue));
    }
    return answer;
  }

  /** Runs the waiting reads together, then those that came meanwhile, until none wait. */
  private async drain(queue: Queue): Promise<void> {
    while (queue.waiting.length > 0) {
      const batch = takeBatch(queue.waiting, queue.read.depth);
      const names = [...new Set(batch.map((one) => one.name))];
      const result = await this.run(this.args(queue.read, names)).catch(
        (error: unknown): CommandResult => ({ stdout: '', stderr: String(error), exitCode: 1 }),
      );
      const answers = new Map<string, Promise<CommandResult>>();
      for (const one of batch) {
        let answer = answers.get(one.name);
        if (!answer) {
          answer =
            names.length === 1 ? Promise.resolve(result) : this.answerOf(one.name, queue, result);
          answers.set(one.name, answer);
        }
        void answer.then(one.resolve);
      }
    }
    queue.running = false;
  }

  /**
   * One name's share of a batch: its rows, or the error naming it. A name with neither (an
   * error zfs did not attribute) is read again on its own.
   */
  private answerOf(name: string, queue: Queue, batch: CommandResult): Promise<CommandResult> {
    const rows = batch.stdout
      .split('\n')
      .filter((line) => within(line.split('\t')[0] ?? '', name, queue.read.depth));
    if (rows.length > 0)
      return Promise.resolve({ stdout: rows.join('\n'), stderr: '', exitCode: 0 });
    const errors = batch.stderr.split('\n').filter((line) => line.includes(`'${name}'`));
    if (errors.length > 0)
      return Promise.resolve({ stdout: '', stderr: errors.join('\n'), exitCode: 1 });
    return this.run(this.args(queue.read, [name]));
  }

  private args(read: Omit<Read, 'name'>, names: string[]): string[] {
    return getArgs(read.scope, read.properties, names);
  }
}

/**
 * The waiting reads to run now: all of them, except a name below another one's (their rows
 * would mix): it waits for the next batch. Reads of the same name go together.
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

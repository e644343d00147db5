import { execFile, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs one program with an argument array (never a shell); injectable so tests can spy on it. */
export type CommandRunner = (file: string, args: readonly string[]) => Promise<CommandResult>;

/** Buffered output of one command at most (a `zfs get -r` of a large pool is a few MB). */
const MAX_OUTPUT = 256 * 1024 * 1024;

/**
 * The runner of the agent: node's own execFile, which starts a process a millisecond or two
 * sooner than a wrapper library (an operation runs ten to twenty zfs commands one after another).
 */
export const processRunner: CommandRunner = (file, args) =>
  new Promise((resolve) => {
    execFile(file, args, { encoding: 'utf8', maxBuffer: MAX_OUTPUT }, (error, stdout, stderr) => {
      // Exited non-zero: the exit code. Could not start at all (ENOENT), killed, or more output
      // than MAX_OUTPUT: no exit code of its own; the reason goes to stderr.
      const code = (error as { code?: unknown } | null)?.code;
      const exitCode = error === null ? 0 : typeof code === 'number' ? code : 1;
      const reason = error !== null && typeof code !== 'number' ? error.message : '';
      resolve({ stdout, stderr: stderr || reason, exitCode });
    }).stdin?.end();
  });

/** A program whose stdin or stdout is a stream: for `zfs send`/`receive`, never buffered whole. */
export interface StreamingCommand {
  /** The program's stdout, when it was asked for. */
  stdout: Readable | null;
  /** Settles when the program ended: its exit code and the end of its stderr (stdout is not kept). */
  done: Promise<CommandResult>;
  /** Ends the program (SIGTERM), e.g. when the other end of its stream went away. */
  kill(): void;
}

const STDERR_KEPT = 16 * 1024;

/** Runs one program with an argument array (never a shell), `stdin` piped in or `stdout` piped out. */
export function spawnStreaming(
  file: string,
  args: readonly string[],
  io: { stdin?: Readable; stdout?: boolean },
): StreamingCommand {
  const child = spawn(file, args, {
    stdio: [io.stdin ? 'pipe' : 'ignore', io.stdout ? 'pipe' : 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    if (stderr.length < STDERR_KEPT) stderr += chunk;
  });
  if (io.stdin && child.stdin) {
    // A program that stops reading (it failed) ends the pipe; its exit code tells why.
    child.stdin.on('error', () => undefined);
    io.stdin.pipe(child.stdin);
  }
  const done = new Promise<CommandResult>((resolve) => {
    child.once('error', (error) => resolve({ stdout: '', stderr: error.message, exitCode: 1 }));
    child.once('close', (code, signal) =>
      resolve({
        stdout: '',
        stderr: stderr || (signal ? `killed by ${signal}` : ''),
        exitCode: code ?? 1,
      }),
    );
  });
  return { stdout: child.stdout, done, kill: () => void child.kill('SIGTERM') };
}

/**
 * Exit codes scripts can rely on (documented in docs/cli.md). Keep them stable: pipelines
 * branch on them.
 */
export const ExitCode = {
  ok: 0,
  /** The operation or its job failed, or the server answered with an error not listed below. */
  failed: 1,
  /** Bad command line or input the server rejected as invalid (400). */
  usage: 2,
  notFound: 3,
  /** 409: locked, busy, something depends on it, or the name is taken. */
  conflict: 4,
  /** 401/403: no token, a bad or expired token, or not allowed; 429: too many failed logins. */
  auth: 5,
  /** The control plane could not be reached at all. */
  unreachable: 6,
  /**
   * The control plane answered, but what it needs is away for now (its storage agent or its
   * metadata database): the same command may succeed later.
   */
  unavailable: 7,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error the CLI reports as one line on stderr, then exits with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function usageError(message: string): CliError {
  return new CliError(message, ExitCode.usage);
}

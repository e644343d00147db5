/** Typed failures of `zfs`/`zpool`, recognized from their stderr text. */
export class ZfsError extends Error {
  constructor(
    message: string,
    readonly args: readonly string[],
    readonly stderr: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ZfsNotFoundError extends ZfsError {}
export class ZfsExistsError extends ZfsError {}
export class ZfsBusyError extends ZfsError {}
export class ZfsHeldError extends ZfsError {}

export class ZfsHasDependentsError extends ZfsError {
  constructor(
    message: string,
    args: readonly string[],
    stderr: string,
    readonly dependents: string[],
  ) {
    super(message, args, stderr);
  }
}

/** The datasets `zfs destroy` lists after "use '-R'/'-r' to destroy the following datasets:". */
function listedDatasets(stderr: string): string[] {
  const lines = stderr.split('\n');
  const start = lines.findIndex((line) => /to destroy the following datasets/.test(line));
  if (start < 0) return [];
  return lines
    .slice(start + 1)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

/** Maps a failed command's stderr to the most specific ZfsError. */
export function mapZfsError(command: string, args: readonly string[], stderr: string): ZfsError {
  const text = stderr.trim();
  const message = `${command} ${args.join(' ')}: ${text.split('\n')[0] ?? 'failed'}`;
  if (/dependent clones|has children/.test(text)) {
    return new ZfsHasDependentsError(message, args, text, listedDatasets(text));
  }
  if (
    /does not exist|no such pool|no such tag|could not find any snapshots|no datasets available/.test(
      text,
    )
  ) {
    return new ZfsNotFoundError(message, args, text);
  }
  if (/already exists/.test(text)) return new ZfsExistsError(message, args, text);
  if (/is held|being held|holds? (?:exist|present)/.test(text))
    return new ZfsHeldError(message, args, text);
  if (/busy/.test(text)) return new ZfsBusyError(message, args, text);
  return new ZfsError(message, args, text);
}

/** For `.catch()`: a missing dataset becomes `fallback`, every other failure stays a failure. */
export function ifMissing<T>(fallback: T): (error: unknown) => T {
  return (error) => {
    if (error instanceof ZfsNotFoundError) return fallback;
    throw error;
  };
}

/** A `.catch` for a create that may have happened already (a repeated call): nothing to do then. */
export function ifExists(): (error: unknown) => void {
  return (error) => {
    if (!(error instanceof ZfsExistsError)) throw error;
  };
}

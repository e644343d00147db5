/** Where the CLI writes; process.stdout/stderr in real use, buffers in tests. */
export interface Streams {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
}

export interface Column<Row> {
  header: string;
  value: (row: Row) => string | number | boolean | null | undefined;
}

/**
 * Results go to stdout: JSON with `--json` (and nothing else there), a human rendering
 * otherwise. Messages and progress always go to stderr, so `$(branchpoint ...)` captures
 * only the result.
 */
export class Output {
  private progressShown = false;

  constructor(
    private readonly streams: Streams,
    readonly json: boolean,
  ) {}

  /** The command's result: `value` as JSON, or `human()` as text. */
  result(value: unknown, human: () => string): void {
    this.endProgress();
    if (this.json) {
      this.streams.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
      return;
    }
    const text = human();
    if (text) this.streams.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** A line for people, on stderr. */
  message(text: string): void {
    this.endProgress();
    this.streams.stderr.write(`${text}\n`);
  }

  /** A progress line; redrawn in place on a terminal, one line per change otherwise (CI logs). */
  progress(text: string): void {
    if (this.streams.stderr.isTTY) {
      this.streams.stderr.write(`\r\x1b[2K${text}`);
      this.progressShown = true;
    } else {
      this.streams.stderr.write(`${text}\n`);
    }
  }

  endProgress(): void {
    if (!this.progressShown) return;
    this.streams.stderr.write('\n');
    this.progressShown = false;
  }
}

/** A plain text table: a header row and left-aligned columns separated by two spaces. */
export function formatTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string {
  const cells = [
    columns.map((column) => column.header),
    ...rows.map((row) => columns.map((column) => cell(column.value(row)))),
  ];
  const widths = columns.map((_, index) => Math.max(...cells.map((line) => line[index]!.length)));
  return cells
    .map((line) =>
      line
        .map((text, index) => (index === line.length - 1 ? text : text.padEnd(widths[index]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** `label: value` lines with the values aligned. */
export function formatDetails(
  pairs: readonly (readonly [string, string | number | boolean | null | undefined])[],
): string {
  const width = Math.max(...pairs.map(([label]) => label.length)) + 1;
  return pairs
    .map(([label, value]) => `${`${label}:`.padEnd(width)} ${cell(value)}`.trimEnd())
    .join('\n');
}

/** A timestamp of the API as `2026-11-23 09:35:12Z`; `-` when absent. */
export function formatTime(value: string | null | undefined): string {
  if (!value) return '-';
  const date = new Date(value);
  return Number.isNaN(date.getTime())
    ? value
    : date
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, 'Z');
}

function cell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined || value === '') return '-';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

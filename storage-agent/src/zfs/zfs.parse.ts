/** Splits `-H` output (tab-separated, one row per line) into rows of fields. */
export function parseRows(stdout: string): string[][] {
  return stdout
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => line.split('\t'));
}

/** `-` stands for "no value" in `zfs list`/`get` output. */
export function optional(value: string | undefined): string | null {
  return value === undefined || value === '-' || value === '' ? null : value;
}

const UNITS: Record<string, number> = { B: 0, K: 1, M: 2, G: 3, T: 4, P: 5, E: 6 };

/** Parses exact (`123456`) or human (`1.98G`, `568K`) sizes to bytes; `-` is 0. */
export function parseSize(value: string | undefined): number {
  if (value === undefined || value === '-' || value === '') return 0;
  const match = /^(\d+(?:\.\d+)?)([BKMGTPE])?$/i.exec(value.trim());
  if (!match) throw new Error(`unparseable size '${value}'`);
  const exponent = UNITS[(match[2] ?? 'B').toUpperCase()] ?? 0;
  return Math.round(Number(match[1]) * 1024 ** exponent);
}

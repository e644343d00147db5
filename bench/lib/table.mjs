// The one table `npm run bench` prints: a row per figure, beside its floor and the full copy.

/**
 * A row a bench module answers.
 * @typedef {object} BenchRow
 * @property {string} figure   what was measured, in the words ("bookmark", "fresh container used")
 * @property {number} value    the measurement
 * @property {'s'|'ms'|'B'|'x'|'n'} unit
 * @property {number} [floor]  the machine's floor for it, measured in the same run (same unit)
 * @property {string} [floorIs] what the floor is made of
 * @property {number} [baseline] the full-copy figure (pg_basebackup + start), same unit
 * @property {string} [target] the goal ("≤ 2× floor", "< 1 MB")
 */

export function formatValue(value, unit) {
  if (value === undefined || value === null || Number.isNaN(value)) return '';
  switch (unit) {
    case 's':
      return value < 1 ? `${Math.round(value * 1000)} ms` : `${value.toFixed(2)} s`;
    case 'ms':
      return `${value.toFixed(1)} ms`;
    case 'B':
      if (value >= 1e9) return `${(value / 1e9).toFixed(2)} GB`;
      if (value >= 1e6) return `${(value / 1e6).toFixed(1)} MB`;
      return `${Math.round(value / 1e3)} kB`;
    case 'x':
      return `${value.toFixed(2)}x`;
    default:
      return String(value);
  }
}

/** Measured ÷ floor, and floor-relative goal where the row has a floor. */
function ratio(row) {
  if (!row.floor) return '';
  return `${(row.value / row.floor).toFixed(1)}x`;
}

/** The rows as one Markdown table (printed, and kept in docs/benchmarks.md). */
export function renderTable(rows) {
  // A `|` inside a cell (a floor made of a pipe) would end the cell in Markdown.
  const escape = (cell) => cell.replaceAll('|', '\\|');
  const cells = [
    ['figure', 'measured', 'floor', 'ratio', 'full copy', 'target', 'floor is'],
    ...rows.map((row) => [
      escape(row.figure),
      formatValue(row.value, row.unit),
      formatValue(row.floor, row.unit),
      ratio(row),
      formatValue(row.baseline, row.unit),
      row.target ?? '',
      escape(row.floorIs ?? ''),
    ]),
  ];
  const widths = cells[0].map((_, column) => Math.max(...cells.map((row) => row[column].length)));
  const line = (row) => `| ${row.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  return [
    line(cells[0]),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...cells.slice(1).map(line),
  ].join('\n');
}

import { api as rest, type ApiComponents } from '@branchpoint/api-client';
import type { Command } from 'commander';
import { contextOf, type Io } from '../context.js';
import { CliError, ExitCode } from '../errors.js';
import { waitForJob, waitTimeoutOption } from '../operation.js';
import { formatTable, type Column } from '../output.js';
import { branchOrId } from './branch-ref.js';

type Diff = ApiComponents['schemas']['DiffDto'];
type TableDiff = ApiComponents['schemas']['TableDiffDto'];

const TABLE_COLUMNS: readonly Column<TableDiff>[] = [
  { header: 'TABLE', value: (t) => t.name },
  { header: 'ADDED', value: (t) => String(t.added) },
  { header: 'REMOVED', value: (t) => String(t.removed) },
  { header: 'CHANGED', value: (t) => String(t.changed) },
  { header: 'SCHEMA', value: (t) => String(t.schema.length) },
  { header: 'BY', value: (t) => t.matchedBy },
];

/** `diff <from> <to>`: a diff of two bookmarks, points or branch heads, waited for, then shown. */
export function registerDiffCommand(program: Command, io: Io): void {
  program
    .command('diff <from> <to>')
    .description(
      'compare two bookmarks, points or branches (a branch: its data now) of one template: schema changes, and rows added, removed and changed per table',
    )
    .option('--container <containerId>', 'the container whose branches <from> and <to> may name')
    .addOption(waitTimeoutOption('give up waiting after this long (the diff keeps running)'))
    .action(
      async (
        fromRef: string,
        toRef: string,
        options: { waitTimeout: number; container?: string },
        command: Command,
      ) => {
        const ctx = contextOf(io, command);
        const api = await ctx.api();
        const what = 'a bookmark, point or branch';
        const from = await branchOrId(api, fromRef, options.container, what);
        const to = await branchOrId(api, toRef, options.container, what);
        const accepted = await api.send(rest.diffs.create({ from, to }));
        await waitForJob(api, ctx.output, accepted.jobId, options.waitTimeout, 'diff');
        const diff = await api.send(rest.diffs.get(accepted.id!));
        if (diff.state !== 'succeeded')
          throw new CliError(`diff ${diff.id} ${diff.state}: ${diff.error ?? ''}`, ExitCode.failed);
        ctx.output.result(diff, () => renderDiff(diff));
      },
    );
}

/** A table per table that differs, then what changed in each (schema, changed rows), then views and functions. */
export function renderDiff(diff: Diff): string {
  if (diff.tables.length === 0 && diff.schema.length === 0)
    return `no differences (${diff.unchangedTables} tables compared)`;
  const lines = [formatTable(TABLE_COLUMNS, diff.tables).trimEnd()];
  for (const table of diff.tables) {
    const details = [
      ...table.schema.map((c) => `  ${c.change} ${c.kind} ${c.name}${c.to ? `: ${c.to}` : ''}`),
      ...table.changedRows.map(
        (row) =>
          `  row ${JSON.stringify(row.key)}: ${row.columns
            .map((c) => `${c.name} ${JSON.stringify(c.from)} -> ${JSON.stringify(c.to)}`)
            .join(', ')}`,
      ),
    ];
    if (details.length > 0) lines.push('', `${table.name}:`, ...details);
  }
  if (diff.schema.length > 0)
    lines.push(
      '',
      'views and functions:',
      ...diff.schema.map((c) => `  ${c.change} ${c.kind} ${c.name}`),
    );
  lines.push('', `${diff.unchangedTables} tables unchanged`);
  return lines.join('\n');
}

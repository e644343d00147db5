import { api as rest, type ApiComponents } from '@branchpoint/api-client';
import type { Command } from 'commander';
import { contextOf, type Io } from '../context.js';
import { CliError, ExitCode } from '../errors.js';
import { waitForJob, waitTimeoutOption } from '../operation.js';
import { formatTable, type Column } from '../output.js';
import { branchOrId } from './branch-ref.js';

type Rebase = ApiComponents['schemas']['RebaseDto'];
type RebasedTable = ApiComponents['schemas']['RebasedTableDto'];

const TABLE_COLUMNS: readonly Column<RebasedTable>[] = [
  { header: 'TABLE', value: (t) => t.name },
  { header: 'INSERTED', value: (t) => String(t.inserted) },
  { header: 'UPDATED', value: (t) => String(t.updated) },
  { header: 'DELETED', value: (t) => String(t.deleted) },
  { header: 'CONFLICTS', value: (t) => String(t.conflicts) },
  { header: 'FAILED', value: (t) => String(t.failed) },
];

interface RebaseOptions {
  container?: string;
  version?: string;
  name?: string;
  waitTimeout: number;
}

/** `rebase <branch>`: the branch's changes replayed on a new branch of a newer version, waited for, then shown. */
export function registerRebaseCommand(program: Command, io: Io): void {
  program
    .command('rebase <branch>')
    .description(
      "carry a branch's changes since it was made onto a new branch of the template's newest version (the branch stays); shows conflicts and what was not replayed",
    )
    .option('--container <containerId>', 'the container whose branch <branch> names')
    .option(
      '--version <version>',
      'the template version to rebase onto, e.g. v7 (default: the newest)',
    )
    .option('--name <name>', 'the new branch\'s name (default: "<branch>-<version>")')
    .addOption(waitTimeoutOption('give up waiting after this long (the rebase keeps running)'))
    .action(async (ref: string, options: RebaseOptions, command: Command) => {
      const ctx = contextOf(io, command);
      const api = await ctx.api();
      const branchId = await branchOrId(api, ref, options.container, 'a branch');
      const accepted = await api.send(
        rest.rebases.create(branchId, {
          ...(options.version ? { templateVersion: options.version } : {}),
          ...(options.name ? { name: options.name } : {}),
        }),
      );
      await waitForJob(api, ctx.output, accepted.jobId, options.waitTimeout, 'rebase');
      const rebase = await api.send(rest.rebases.get(accepted.id!));
      if (rebase.state !== 'succeeded')
        throw new CliError(
          `rebase ${rebase.id} ${rebase.state}: ${rebase.error ?? ''}`,
          ExitCode.failed,
        );
      ctx.output.result(rebase, () => renderRebase(rebase));
    });
}

/** The new branch, the tables replayed, then the schema changes, conflicts and what was skipped. */
export function renderRebase(rebase: Rebase): string {
  const lines = [
    `new branch ${rebase.newBranchId} (${rebase.baseVersion} -> ${rebase.targetVersion}) is active`,
  ];
  if (rebase.tables.length > 0) lines.push('', formatTable(TABLE_COLUMNS, rebase.tables).trimEnd());
  if (rebase.schema.length > 0)
    lines.push(
      '',
      'schema changes applied:',
      ...rebase.schema.map((c) => `  ${c.change} ${c.kind} ${c.name}`),
    );
  if (rebase.conflictCount > 0)
    lines.push(
      '',
      `conflicts (${rebase.conflictCount}; not applied):`,
      ...rebase.conflicts.map(
        (c) =>
          `  ${c.table} ${JSON.stringify(c.key)}: branch ${JSON.stringify(c.branch)}, new version ${JSON.stringify(c.template)}`,
      ),
    );
  if (rebase.skippedCount > 0)
    lines.push(
      '',
      `not replayed (${rebase.skippedCount}):`,
      ...rebase.skipped.map((s) => `  ${s.kind} ${s.name}: ${s.reason}`),
    );
  return lines.join('\n');
}

import type { Command } from 'commander';
import type { DestroyedOrphans, Divergence, Orphan, ReconciliationReport } from '../api/types.js';
import { contextOf, type Io } from '../context.js';
import { usageError } from '../errors.js';
import { formatTable, formatTime, type Column } from '../output.js';

type DivergenceRow = Divergence & { hostName: string };

const DIVERGENCE_COLUMNS: readonly Column<DivergenceRow>[] = [
  { header: 'HOST', value: (d) => d.hostName },
  { header: 'KIND', value: (d) => d.kind },
  { header: 'ACTION', value: (d) => d.action },
  { header: 'SUBJECT', value: (d) => subjectLabel(d.subject) },
  { header: 'CATALOG', value: (d) => d.catalog ?? '-' },
  { header: 'ON HOST', value: (d) => d.host ?? '-' },
];

const ORPHAN_COLUMNS: readonly Column<Orphan>[] = [
  { header: 'HOST', value: (o) => o.host },
  { header: 'KEY', value: (o) => o.key },
  { header: 'DATASET', value: (o) => o.dataset },
  { header: 'BYTES', value: (o) => o.bytes },
  { header: 'CREATED', value: (o) => formatTime(o.createdAt) },
  {
    header: 'DEPENDENTS',
    value: (o) => (o.pending ? 'pending (younger than a minute)' : o.dependents.join('; ') || '-'),
  },
];

/** `admin reconcile` and `admin orphans [destroy <key>...]`: reconciliation for admins. */
export function registerAdminCommands(program: Command, io: Io): void {
  const admin = program.command('admin').description('administration (admins only)');

  admin
    .command('reconcile')
    .description(
      'compare the catalog with every host now: repair what the hosts prove, list the rest',
    )
    .option('--last', 'show the last report instead of running a cycle')
    .action(async (options: { last?: boolean }, command: Command) => {
      const ctx = contextOf(io, command);
      const api = await ctx.api();
      const reports = options.last
        ? await api.get<ReconciliationReport[]>('/reconciliation')
        : await api.post<ReconciliationReport[]>('/reconciliation');
      ctx.output.result(reports, () => reportText(reports));
    });

  const orphans = admin
    .command('orphans')
    .description(
      'datasets no container or template of the catalog owns (never destroyed by themselves)',
    );

  orphans
    .command('list', { isDefault: true })
    .description('list the orphans of every host with their size and what depends on them')
    .action(async (_options: unknown, command: Command) => {
      const ctx = contextOf(io, command);
      const list = await (await ctx.api()).get<Orphan[]>('/reconciliation/orphans');
      ctx.output.result(list, () =>
        list.length === 0 ? 'no orphans' : formatTable(ORPHAN_COLUMNS, list),
      );
    });

  orphans
    .command('destroy <keys...>')
    .description(
      'destroy exactly these orphans (container:<id> or template:<id>, as listed); refused if one is no longer an orphan or something depends on it',
    )
    .option('--host <hostId>', 'the host (default: the one the orphans are listed on)')
    .action(async (keys: string[], options: { host?: string }, command: Command) => {
      const ctx = contextOf(io, command);
      const api = await ctx.api();
      const byHost = options.host
        ? new Map([[options.host, keys]])
        : groupByHost(keys, await api.get<Orphan[]>('/reconciliation/orphans'));
      const results: DestroyedOrphans[] = [];
      for (const [hostId, hostKeys] of byHost) {
        const result = await api.post<DestroyedOrphans>('/reconciliation/orphans/destroy', {
          hostId,
          keys: hostKeys,
        });
        results.push(result);
        ctx.output.message(`destroyed on host ${hostId}: ${result.destroyed.join(', ')}`);
      }
      ctx.output.result(results, () => '');
    });
}

/** Which host lists each key; a key no host lists is a usage error before anything is destroyed. */
function groupByHost(keys: string[], listed: Orphan[]): Map<string, string[]> {
  const byHost = new Map<string, string[]>();
  for (const key of keys) {
    const orphan = listed.find((o) => o.key === key);
    if (!orphan) throw usageError(`${key} is not listed by "branchpoint admin orphans"`);
    byHost.set(orphan.hostId, [...(byHost.get(orphan.hostId) ?? []), key]);
  }
  return byHost;
}

function reportText(reports: ReconciliationReport[]): string {
  const lines: string[] = [];
  const rows: DivergenceRow[] = [];
  for (const report of reports) {
    const skipped = report.skipped.map((s) => `${s.kind} ${s.name}`).join(', ');
    lines.push(
      `${report.host}: checked ${formatTime(report.checkedAt)}, ${
        report.error ? `error: ${report.error}` : `${report.divergences.length} divergences`
      }${skipped ? `; skipped (busy): ${skipped}` : ''}`,
    );
    rows.push(...report.divergences.map((d) => ({ ...d, hostName: report.host })));
  }
  if (rows.length > 0) lines.push('', formatTable(DIVERGENCE_COLUMNS, rows));
  return lines.join('\n');
}

function subjectLabel(subject: Divergence['subject']): string {
  const part = (kind: string, name?: string, id?: string) =>
    id ? `${kind} ${name ? `${name} (${id})` : id}` : null;
  return (
    [
      part('template', subject.templateName, subject.templateId),
      part('container', subject.containerName, subject.containerId),
      part('branch', subject.branchName, subject.branchId),
      part('bookmark', subject.bookmarkName, subject.bookmarkId),
      part('point', undefined, subject.pointId),
      part('source', undefined, subject.sourceId),
    ]
      .filter(Boolean)
      .join(', ') ||
    subject.dataset ||
    '-'
  );
}

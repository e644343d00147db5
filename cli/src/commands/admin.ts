import { api as rest } from '@branchpoint/api-client';
import type { Command } from 'commander';
import type { Divergence, Orphan, ReconciliationReport, RecoveryResult } from '../api/types.js';
import { contextOf, type Io } from '../context.js';
import { usageError } from '../errors.js';
import { completeOperation, withWaitOptions, type WaitOptions } from '../operation.js';
import { formatTable, formatTime, type Column } from '../output.js';
import { registerDrainCommands } from './drain.js';

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
  { header: 'VERDICT', value: (o) => o.verdict },
  { header: 'WHY', value: (o) => o.reason },
];

type Adopted = RecoveryResult['adopted'][number];
type RecoverySkipped = RecoveryResult['skipped'][number];

const ADOPTED_COLUMNS: readonly Column<Adopted>[] = [
  { header: 'KIND', value: (a) => a.kind },
  { header: 'NAME', value: (a) => a.name ?? '-' },
  { header: 'ID', value: (a) => a.id },
  { header: 'HOST', value: (a) => a.host },
  { header: 'FROM', value: (a) => a.from },
];

const RECOVERY_SKIPPED_COLUMNS: readonly Column<RecoverySkipped>[] = [
  { header: 'KIND', value: (s) => s.kind },
  { header: 'ID', value: (s) => s.id },
  { header: 'HOST', value: (s) => s.host },
  { header: 'REASON', value: (s) => s.reason },
];

const RECOVERED_KINDS = {
  template: 'templates',
  version: 'versions',
  container: 'containers',
  branch: 'branches',
  point: 'points',
  bookmark: 'bookmarks',
} as const;

/**
 * `admin reconcile`, `admin orphans [destroy <key>...]` (reconciliation), `admin recover`
 * (disaster recovery of the catalog) and `admin drain|undrain <host>`, for admins.
 */
export function registerAdminCommands(program: Command, io: Io): void {
  const admin = program.command('admin').description('administration (admins only)');
  registerDrainCommands(admin, io);

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
        ? await api.send(rest.reconciliation.reports())
        : await api.send(rest.reconciliation.run());
      ctx.output.result(reports, () => reportText(reports));
    });

  admin
    .command('recover')
    .description(
      'rebuild the catalog from the registered hosts: adopt every template, version, container, branch, point and bookmark they hold and the catalog lacks',
    )
    .option('--dry-run', 'list what would be adopted, change nothing')
    .action(async (options: { dryRun?: boolean }, command: Command) => {
      const ctx = contextOf(io, command);
      const api = await ctx.api();
      const result = await api.send(rest.recovery.recover({ dryRun: options.dryRun === true }));
      ctx.output.result(result, () => recoveryText(result));
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
      const list = await (await ctx.api()).send(rest.reconciliation.orphans());
      ctx.output.result(list, () =>
        list.length === 0 ? 'no orphans' : formatTable(ORPHAN_COLUMNS, list),
      );
    });

  withWaitOptions(
    orphans
      .command('destroy <keys...>')
      .description(
        "destroy exactly these orphans (container:<id> or template:<id>, as listed, verdict destroyable), as listed now: refused if one is no longer an orphan, is another installation's, or changes before the job runs",
      ),
  ).action(async (keys: string[], options: WaitOptions, command: Command) => {
    const ctx = contextOf(io, command);
    const api = await ctx.api();
    const byHost = groupByHost(keys, await api.send(rest.reconciliation.orphans()));
    for (const [hostId, listed] of byHost) {
      for (const orphan of listed)
        ctx.output.message(
          `destroying on host ${orphan.host}: ${orphan.datasets.join(', ')} (${orphan.snapshots} snapshots, ${orphan.bytes} bytes)`,
        );
      const accepted = await api.send(
        rest.reconciliation.destroy({
          hostId,
          orphans: listed.map((o) => ({ key: o.key, fingerprint: o.fingerprint })),
        }),
      );
      await completeOperation(
        api,
        ctx.output,
        accepted,
        `destroy ${listed.map((o) => o.key).join(', ')}`,
        options,
      );
    }
  });
}

/**
 * The listed orphans of each key by host; a key no host lists, or one not `destroyable`, is a
 * usage error before anything is destroyed.
 */
function groupByHost(keys: string[], listed: Orphan[]): Map<string, Orphan[]> {
  const byHost = new Map<string, Orphan[]>();
  for (const key of keys) {
    const orphan = listed.find((o) => o.key === key);
    if (!orphan) throw usageError(`${key} is not listed by "branchpoint admin orphans"`);
    if (orphan.verdict !== 'destroyable')
      throw usageError(`${key} is not destroyable (${orphan.verdict}): ${orphan.reason}`);
    byHost.set(orphan.hostId, [...(byHost.get(orphan.hostId) ?? []), orphan]);
  }
  return byHost;
}

function recoveryText(result: RecoveryResult): string {
  const counts = (count: (kind: keyof typeof RECOVERED_KINDS) => number) =>
    Object.entries(RECOVERED_KINDS)
      .map(([kind, plural]) => `${count(kind as keyof typeof RECOVERED_KINDS)} ${plural}`)
      .join(', ');
  const lines = result.hosts.map(
    (h) => `${h.host}: ${h.error ? `not read: ${h.error}` : 'inventory read'}`,
  );
  lines.push(
    `${result.dryRun ? 'would adopt' : 'adopted'}: ${counts((k) => result.adopted.filter((a) => a.kind === k).length)}`,
    `unchanged (already in the catalog): ${counts((k) => result.unchanged[k])}`,
  );
  // Points are many and nameless: counted above, not listed.
  const listed = result.adopted.filter((a) => a.kind !== 'point');
  if (listed.length > 0) lines.push('', formatTable(ADOPTED_COLUMNS, listed));
  if (result.skipped.length > 0)
    lines.push('', 'skipped:', formatTable(RECOVERY_SKIPPED_COLUMNS, result.skipped));
  if (result.users.length > 0)
    lines.push(
      '',
      result.dryRun
        ? `users to create: ${result.users.map((u) => u.username).join(', ')}`
        : 'users created (each password is shown once: hand it to its user, or reset it):',
      ...(result.dryRun ? [] : result.users.map((u) => `  ${u.username}  ${u.password ?? ''}`)),
    );
  return lines.join('\n');
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

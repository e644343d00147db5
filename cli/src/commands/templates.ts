import { api as rest } from '@branchpoint/api-client';
import type { Command } from 'commander';
import type { Template } from '../api/types.js';
import { contextOf, type Io } from '../context.js';
import { completeOperation, withWaitOptions, type WaitOptions } from '../operation.js';
import { formatTable, formatTime, type Column } from '../output.js';

const TEMPLATE_COLUMNS: readonly Column<Template>[] = [
  { header: 'ID', value: (t) => t.id },
  { header: 'NAME', value: (t) => t.name },
  {
    header: 'SOURCES',
    // `site (mariadb),files (directory)`: each source with its engine.
    value: (t) => t.sources.map((source) => `${source.name} (${source.kind})`).join(','),
  },
  { header: 'LATEST', value: (t) => t.latestVersion?.version },
  {
    header: 'HOSTS',
    // `h1 (origin v3),h2 (ready v3)`: every host the template is on.
    value: (t) =>
      t.hosts
        .map(
          (h) =>
            `${h.hostId} (${[h.origin ? 'origin' : h.state, h.version].filter(Boolean).join(' ')})`,
        )
        .join(','),
  },
  { header: 'CREATED', value: (t) => formatTime(t.createdAt) },
];

/**
 * `templates list`: what `containers create --template` accepts; `templates hosts add|remove`
 * (admins): make a template available on another host, or take it off one.
 */
export function registerTemplateCommands(program: Command, io: Io): void {
  const templates = program
    .command('templates')
    .description('the templates containers are created from');
  const hosts = templates
    .command('hosts')
    .description('the hosts a template is on (admins): its versions are sent there with zfs send');
  const onHost = (verb: 'add' | 'remove', description: string) =>
    withWaitOptions(hosts.command(`${verb} <templateId> <hostId>`).description(description)).action(
      async (templateId: string, hostId: string, options: WaitOptions, command: Command) => {
        const ctx = contextOf(io, command);
        const api = await ctx.api();
        const accepted = await api.send(
          verb === 'add'
            ? rest.templateHosts.add(templateId, { hostId })
            : rest.templateHosts.remove(templateId, hostId),
        );
        const what = `${verb === 'add' ? 'make' : 'take'} template ${templateId} ${verb === 'add' ? 'available on' : 'off'} host ${hostId}`;
        await completeOperation(api, ctx.output, accepted, what, options);
      },
    );
  onHost(
    'add',
    'make the template available on the host: its newest version is sent there (whole, or the increment it lacks), and each refresh after',
  );
  onHost(
    'remove',
    'take the template off a host that is not its origin (refused while containers of it live there)',
  );
  templates
    .command('list')
    .description('list templates')
    .action(async (_options: unknown, command: Command) => {
      const ctx = contextOf(io, command);
      const api = await ctx.api();
      const list = await api.sendAll(rest.templates.list());
      ctx.output.result(list, () => formatTable(TEMPLATE_COLUMNS, list));
    });
}

import { api as rest } from '@branchpoint/api-client';
import type { Command } from 'commander';
import type { Template } from '../api/types.js';
import { contextOf, type Io } from '../context.js';
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
  { header: 'CREATED', value: (t) => formatTime(t.createdAt) },
];

/** `templates list`: what `containers create --template` accepts. */
export function registerTemplateCommands(program: Command, io: Io): void {
  program
    .command('templates')
    .description('the templates containers are created from')
    .command('list')
    .description('list templates')
    .action(async (_options: unknown, command: Command) => {
      const ctx = contextOf(io, command);
      const api = await ctx.api();
      const list = await api.sendAll(rest.templates.list());
      ctx.output.result(list, () => formatTable(TEMPLATE_COLUMNS, list));
    });
}

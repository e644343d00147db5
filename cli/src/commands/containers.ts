import { api as rest } from '@branchpoint/api-client';
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import type { ApiClient } from '../api/client.js';
import type {
  Container,
  ContainerDetail,
  CreateContainer,
  PlacementHost,
  Template,
} from '../api/types.js';
import { contextOf, type Io } from '../context.js';
import { expiresIn } from '../duration.js';
import { CliError, ExitCode, usageError } from '../errors.js';
import { isUuid } from '../ids.js';
import {
  completeOperation,
  simpleOperation,
  withWaitOptions,
  type WaitOptions,
} from '../operation.js';
import { formatDetails, formatTable, formatTime, type Column } from '../output.js';
import { BRANCH_COLUMNS } from './branches.js';
import { expiryLabel, registerExpiryCommands } from './expiry.js';
import { registerSettingsCommands } from './settings.js';

interface MoveOptions extends WaitOptions {
  host: string;
}

interface CreateOptions extends WaitOptions {
  template?: string;
  fromBookmark?: string;
  name?: string;
  /** A host the template is available on, by id or name (default: placement chooses). */
  host?: string;
  /** A duration from now, e.g. 2h (checked here, computed by the server). */
  expires?: string;
}

const CONTAINER_COLUMNS: readonly Column<Container>[] = [
  { header: 'ID', value: (c) => c.id },
  { header: 'NAME', value: (c) => c.name },
  { header: 'STATE', value: (c) => c.state },
  { header: 'DATABASES', value: (c) => servingLabel(c.serving) },
  { header: 'ACCESS', value: (c) => c.access },
  { header: 'VERSION', value: (c) => c.templateVersion },
  { header: 'LOCKED BY', value: (c) => c.lockedBy?.username },
  { header: 'EXPIRES', value: (c) => expiryLabel(c) },
  { header: 'CREATED', value: (c) => formatTime(c.createdAt) },
];

/** `containers list|show|create|move|delete|extend|protect|unprotect` and the operations on one. */
export function registerContainerCommands(program: Command, io: Io): void {
  const containers = program
    .command('containers')
    .description('your containers: private, writable copies of a template');

  containers
    .command('list')
    .description('list the containers you own or can see')
    .action(async (_options: unknown, command: Command) => {
      const ctx = contextOf(io, command);
      const api = await ctx.api();
      const list = await api.sendAll(rest.containers.list());
      ctx.output.result(list, () => formatTable(CONTAINER_COLUMNS, list));
    });

  containers
    .command('show <containerId>')
    .description('show a container with its branches and database endpoints')
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = contextOf(io, command);
      const api = await ctx.api();
      const container = await api.send(rest.containers.get(id));
      ctx.output.result(container, () => renderContainer(container));
    });

  withWaitOptions(
    containers
      .command('create')
      .description(
        "create a container from a template's latest data or from a bookmark; prints its id",
      )
      .option('--template <idOrName>', "the template, by id or name (default: the bookmark's)")
      .option(
        '--from-bookmark <bookmarkId>',
        "start from this bookmark (yours or shared with you) instead of the template's latest data",
      )
      .option('--name <name>', 'the container name (default: <template>-<random>)')
      .option(
        '--host <idOrName>',
        'the host to make it on, among those the template is available on (default: the one with the most room)',
      )
      .option(
        '--expires <duration>',
        "delete the container automatically after this long, e.g. 2h (owners are warned before; default: the admins' policy)",
        expiresIn,
      ),
  ).action(async (options: CreateOptions, command: Command) => {
    if (!options.template && !options.fromBookmark)
      throw usageError(
        'say what to create the container from: --template <idOrName> and/or --from-bookmark <id>',
      );
    const ctx = contextOf(io, command);
    const api = await ctx.api();
    const templateRef =
      options.template ?? (await api.send(rest.bookmarks.get(options.fromBookmark!))).templateId;
    const template = await findTemplate(api, templateRef);
    const body: CreateContainer = {
      name: options.name ?? defaultName(template.name),
      templateId: template.id,
      ...(options.fromBookmark ? { fromBookmarkId: options.fromBookmark } : {}),
      ...(options.host ? { hostId: (await findHost(api, template, options.host)).id } : {}),
      ...(options.expires ? { expiresIn: options.expires } : {}),
    };
    const accepted = await api.send(rest.containers.create(body));
    await completeOperation(api, ctx.output, accepted, `create container "${body.name}"`, options);
  });

  withWaitOptions(
    containers
      .command('move <containerId>')
      .description(
        'move a container with its branches, points and bookmarks to another host: copied while it runs, then stopped for the last changes and started there; its connection strings change',
      )
      .requiredOption(
        '--host <idOrName>',
        "the host to move it to, among those the container's template is available on",
      ),
  ).action(async (id: string, options: MoveOptions, command: Command) => {
    const ctx = contextOf(io, command);
    const api = await ctx.api();
    const container = await api.send(rest.containers.get(id));
    const template = await findTemplate(api, container.templateId);
    const host = await findHost(api, template, options.host);
    const accepted = await api.send(rest.moves.move(id, { hostId: host.id }));
    const what = `move container "${container.name}" to host ${host.name}`;
    const job = await completeOperation(api, ctx.output, accepted, what, options);
    if (!job) return;
    const downtimeMs = job.result?.['downtimeMs'];
    if (typeof downtimeMs === 'number')
      ctx.output.message(`its databases were down for ${(downtimeMs / 1000).toFixed(2)} s`);
    // Clients must reconnect: the new address is the point of the message.
    const moved = await api.send(rest.containers.get(id));
    for (const endpoint of moved.endpoints)
      ctx.output.message(`${endpoint.source}: ${endpoint.connectionString ?? endpoint.path ?? ''}`);
  });

  simpleOperation(
    containers
      .command('refresh <containerId>')
      .description("bring the template's latest data into the active branch (bookmarks stay)"),
    io,
    {
      call: rest.containers.refresh,
      what: (id) => `refresh container ${id}`,
    },
  );

  simpleOperation(
    containers
      .command('undo <containerId>')
      .description(
        'reverse the last restore, reset, refresh, undo or settings change of the active branch',
      ),
    io,
    {
      call: rest.containers.undo,
      what: (id) => `undo in container ${id}`,
    },
  );

  for (const verb of ['start', 'stop'] as const) {
    simpleOperation(
      containers
        .command(`${verb} <containerId>`)
        .description(
          verb === 'start'
            ? 'start the databases of a stopped or idle-stopped container again (same ports)'
            : 'stop the databases to free memory; the data stays',
        ),
      io,
      {
        call: rest.containers[verb],
        what: (id) => `${verb} container ${id}`,
      },
    );
  }

  for (const verb of ['lock', 'unlock'] as const) {
    containers
      .command(`${verb} <containerId>`)
      .description(
        verb === 'lock'
          ? 'allow operations on the container only by you'
          : 'allow every owner to operate on the container again',
      )
      .action(async (id: string, _options: unknown, command: Command) => {
        const ctx = contextOf(io, command);
        const api = await ctx.api();
        const container = await api.send(rest.containers[verb](id));
        ctx.output.message(`container ${id} ${verb}ed`);
        ctx.output.result(container, () => '');
      });
  }

  simpleOperation(
    containers
      .command('delete <containerId>')
      .description('delete a container, its branches and their data'),
    io,
    {
      call: rest.containers.delete,
      what: (id) => `delete container ${id}`,
    },
  );

  simpleOperation(
    containers
      .command('rotate-password <containerId>')
      .description(
        'give the databases a new generated password (the old one stops working; see connection-string)',
      ),
    io,
    {
      call: rest.containers.rotateCredentials,
      what: (id) => `rotate the password of container ${id}`,
    },
  );

  registerSettingsCommands(containers, io);
  registerExpiryCommands(containers, io, { name: 'container', update: rest.containers.update });
}

/** A template by id, or by its exact name (which must be unambiguous). */
export async function findTemplate(api: ApiClient, idOrName: string): Promise<Template> {
  if (isUuid(idOrName)) return api.send(rest.templates.get(idOrName));
  const templates = await api.sendAll(rest.templates.list());
  const matches = templates.filter((template) => template.name === idOrName);
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1)
    throw usageError(
      `several templates are named "${idOrName}": use its id (${matches.map((t) => t.id).join(', ')})`,
    );
  const known = templates.map((template) => template.name).join(', ') || 'none';
  throw new CliError(`no template named "${idOrName}" (templates: ${known})`, ExitCode.notFound);
}

/** A host a container of the template may go to, by id or name (404 exit code when none). */
async function findHost(
  api: ApiClient,
  template: Template,
  idOrName: string,
): Promise<PlacementHost> {
  const { hosts } = await api.send(rest.placement.get(template.id));
  const found = hosts.find((host) => host.id === idOrName || host.name === idOrName);
  if (found) return found;
  const allowed = hosts.map((host) => host.name).join(', ') || 'none';
  throw new CliError(
    `template "${template.name}" cannot have containers on host "${idOrName}" (hosts: ${allowed})`,
    ExitCode.notFound,
  );
}

function defaultName(templateName: string): string {
  return `${templateName.slice(0, 100)}-${randomBytes(3).toString('hex')}`;
}

function renderContainer(container: ContainerDetail): string {
  const details = formatDetails([
    ['ID', container.id],
    ['Name', container.name],
    ['State', container.state],
    ['Databases', servingLabel(container.serving)],
    ['Access', container.access],
    ['Template', `${container.templateId} (${container.templateVersion})`],
    ['Owners', container.owners.map((owner) => owner.username).join(', ')],
    [
      'Active branch',
      container.branches.find((branch) => branch.id === container.activeBranchId)?.name ??
        container.activeBranchId,
    ],
    ['Locked by', container.lockedBy?.username],
    ['Expires', expiryLabel(container)],
    ['Created', formatTime(container.createdAt)],
  ]);
  const endpoints = formatTable(
    [
      { header: 'SOURCE', value: (e: ContainerDetail['endpoints'][number]) => e.source },
      { header: 'ENGINE', value: (e) => e.kind },
      { header: 'HOST', value: (e) => e.host },
      { header: 'PORT', value: (e) => e.port },
      { header: 'DATABASE', value: (e) => e.database },
      { header: 'USER', value: (e) => e.username },
      { header: 'CLIENT', value: (e) => e.command ?? e.path },
    ],
    container.endpoints,
  );
  return `${details}\n\nBranches:\n${formatTable(BRANCH_COLUMNS, container.branches)}\n\nEndpoints (branchpoint connection-string ${container.id}):\n${endpoints}`;
}

/** `stopped (idle)` for a container the idle stop stopped. */
function servingLabel(serving: Container['serving']): string {
  return serving === 'idle' ? 'stopped (idle)' : serving;
}

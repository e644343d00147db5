import { api as rest } from '@branchpoint/api-client';
import type { Command } from 'commander';
import type { Branch, CreateBranch, Point, RestoreBranch } from '../api/types.js';
import { contextOf, type Io } from '../context.js';
import { expiresIn } from '../duration.js';
import { usageError } from '../errors.js';
import {
  completeOperation,
  simpleOperation,
  withWaitOptions,
  type WaitOptions,
} from '../operation.js';
import { formatTable, formatTime, type Column } from '../output.js';
import { expiryLabel, registerExpiryCommands } from './expiry.js';

export const BRANCH_COLUMNS: readonly Column<Branch>[] = [
  { header: 'ID', value: (b) => b.id },
  { header: 'NAME', value: (b) => b.name },
  { header: 'STATE', value: (b) => b.state },
  { header: 'ACTIVE', value: (b) => (b.active ? '*' : '') },
  { header: 'EXPIRES', value: (b) => expiryLabel(b) },
  { header: 'CREATED', value: (b) => formatTime(b.createdAt) },
];

const POINT_COLUMNS: readonly Column<Point>[] = [
  { header: 'ID', value: (p) => p.id },
  { header: 'TYPE', value: (p) => p.type },
  { header: 'CREATED', value: (p) => formatTime(p.createdAt) },
  { header: 'BOOKMARK', value: (p) => p.bookmarkId },
];

interface CreateOptions extends WaitOptions {
  name: string;
  fromBookmark?: string;
  fromPoint?: string;
  /** A duration from now, e.g. 2d (checked here, computed by the server). */
  expires?: string;
}

interface RestoreOptions extends WaitOptions {
  bookmark?: string;
  point?: string;
}

/** `branches list|create|activate|delete|extend|protect|unprotect`, and the operations on one branch: `restore`, `reset`, `timeline`. */
export function registerBranchCommands(program: Command, io: Io): void {
  const branches = program
    .command('branches')
    .description('lines of work in a container; one is active');

  branches
    .command('list <containerId>')
    .description("list a container's branches (* marks the active one)")
    .action(async (containerId: string, _options: unknown, command: Command) => {
      const ctx = contextOf(io, command);
      const api = await ctx.api();
      const list = await api.sendAll(rest.branches.list(containerId));
      ctx.output.result(list, () => formatTable(BRANCH_COLUMNS, list));
    });

  withWaitOptions(
    branches
      .command('create <containerId>')
      .description(
        "create a branch (from a bookmark, a point, or the active branch's current data); prints its id",
      )
      .requiredOption('--name <name>', 'the branch name, e.g. bug-4711')
      .option(
        '--from-bookmark <bookmarkId>',
        'a bookmark of this container, or one shared with you of the same template',
      )
      .option('--from-point <pointId>', "a timeline point of one of this container's branches")
      .option(
        '--expires <duration>',
        "delete the branch automatically after this long, e.g. 2d (default: the admins' policy)",
        expiresIn,
      ),
  ).action(async (containerId: string, options: CreateOptions, command: Command) => {
    if (options.fromBookmark && options.fromPoint)
      throw usageError('give --from-bookmark or --from-point, not both');
    const ctx = contextOf(io, command);
    const api = await ctx.api();
    const body: CreateBranch = {
      name: options.name,
      ...(options.fromBookmark ? { fromBookmarkId: options.fromBookmark } : {}),
      ...(options.fromPoint ? { fromPointId: options.fromPoint } : {}),
      ...(options.expires ? { expiresIn: options.expires } : {}),
    };
    const accepted = await api.send(rest.branches.create(containerId, body));
    await completeOperation(api, ctx.output, accepted, `create branch "${options.name}"`, options);
  });

  simpleOperation(
    branches
      .command('activate <branchId>')
      .description("make this branch the one the container's databases serve (same ports)"),
    io,
    {
      call: rest.branches.activate,
      what: (id) => `activate branch ${id}`,
    },
  );

  simpleOperation(
    branches.command('delete <branchId>').description('delete a branch that is not active'),
    io,
    {
      call: rest.branches.delete,
      what: (id) => `delete branch ${id}`,
    },
  );

  registerExpiryCommands(branches, io, { name: 'branch', update: rest.branches.update });

  withWaitOptions(
    program
      .command('restore <branchId>')
      .description(
        'bring a branch back to a bookmark or a timeline point (recorded first, so it can be undone)',
      )
      .option('--bookmark <bookmarkId>', 'restore to this bookmark')
      .option('--point <pointId>', 'restore to this timeline point'),
  ).action(async (id: string, options: RestoreOptions, command: Command) => {
    const body = restoreTarget(options);
    const ctx = contextOf(io, command);
    const api = await ctx.api();
    const accepted = await api.send(rest.branches.restore(id, body));
    await completeOperation(api, ctx.output, accepted, `restore branch ${id}`, options);
  });

  simpleOperation(
    program
      .command('reset <branchId>')
      .description('throw away every change since the last timeline point'),
    io,
    {
      call: rest.branches.reset,
      what: (id) => `reset branch ${id}`,
    },
  );

  program
    .command('timeline <branchId>')
    .description("list a branch's timeline points, oldest first")
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = contextOf(io, command);
      const api = await ctx.api();
      const points = await api.sendAll(rest.branches.timeline(id));
      ctx.output.result(points, () => formatTable(POINT_COLUMNS, points));
    });
}

/** Exactly one of `--bookmark` and `--point`, as the API's body. */
export function restoreTarget(options: { bookmark?: string; point?: string }): RestoreBranch {
  if (options.bookmark && options.point) throw usageError('give --bookmark or --point, not both');
  if (options.bookmark) return { bookmarkId: options.bookmark };
  if (options.point) return { pointId: options.point };
  throw usageError('say what to restore to: --bookmark <id> or --point <id>');
}

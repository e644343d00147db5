import { api as rest } from '@branchpoint/api-client';
import { Option, type Command } from 'commander';
import type { ApiClient } from '../api/client.js';
import type { Bookmark, CreateBookmark, ShareBookmark } from '../api/types.js';
import { contextOf, type Io } from '../context.js';
import { expiresIn } from '../duration.js';
import { CliError, ExitCode, usageError } from '../errors.js';
import { isUuid } from '../ids.js';
import { completeOperation, withWaitOptions, type WaitOptions } from '../operation.js';
import { formatDetails, formatTable, formatTime, type Column } from '../output.js';
import { expiryLabel, registerExpiryCommands } from './expiry.js';

const BOOKMARK_COLUMNS: readonly Column<Bookmark>[] = [
  { header: 'ID', value: (b) => b.id },
  { header: 'NAME', value: (b) => b.name },
  { header: 'CONTAINER', value: (b) => b.containerName },
  { header: 'TAGS', value: (b) => b.tags.join(',') },
  { header: 'BUG', value: (b) => b.bugRef },
  { header: 'VISIBILITY', value: (b) => b.visibility },
  { header: 'CREATOR', value: (b) => b.creator },
  { header: 'CREATED', value: (b) => formatTime(b.createdAt) },
];

interface ListOptions {
  scope: 'mine' | 'shared' | 'all';
  tag?: string;
  q?: string;
}

interface CreateOptions extends WaitOptions {
  name: string;
  description?: string;
  tag: string[];
  bugRef?: string;
  /** A duration from now, e.g. 7d (checked here, computed by the server). */
  expires?: string;
}

interface ShareOptions {
  user?: string[];
  everyone?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `bookmarks list|show|create|share|unshare|delete|extend|protect|unprotect`. */
export function registerBookmarkCommands(program: Command, io: Io): void {
  const bookmarks = program
    .command('bookmarks')
    .description('named, protected points on a timeline, which can be shared');

  bookmarks
    .command('list')
    .description('list bookmarks you can use')
    .addOption(
      new Option('--scope <scope>', 'mine, shared with me, or all')
        .choices(['mine', 'shared', 'all'])
        .default('all'),
    )
    .option('--tag <tag>', 'only bookmarks with this tag')
    .option('--q <text>', 'search in name, description and bug reference')
    .action(async (options: ListOptions, command: Command) => {
      const ctx = contextOf(io, command);
      const api = await ctx.api();
      const list = await api.sendAll(
        rest.bookmarks.list({ scope: options.scope, tag: options.tag, q: options.q }),
      );
      ctx.output.result(list, () => formatTable(BOOKMARK_COLUMNS, list));
    });

  bookmarks
    .command('show <bookmarkId>')
    .description('show a bookmark')
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = contextOf(io, command);
      const api = await ctx.api();
      const bookmark = await api.send(rest.bookmarks.get(id));
      ctx.output.result(bookmark, () => renderBookmark(bookmark));
    });

  withWaitOptions(
    bookmarks
      .command('create <branchId>')
      .description("bookmark a branch's current data; prints the bookmark's id")
      .requiredOption('--name <name>', 'e.g. "after edge case data"')
      .option('--description <text>', 'what the data shows')
      .option('--tag <tag>', 'a tag (repeat for several)', collect, [])
      .option('--bug-ref <ref>', 'a bug reference, e.g. BUG-4711')
      .option(
        '--expires <duration>',
        "delete the bookmark after this long, e.g. 7d (default: the admins' policy)",
        expiresIn,
      ),
  ).action(async (branchId: string, options: CreateOptions, command: Command) => {
    const body: CreateBookmark = {
      name: options.name,
      ...(options.description !== undefined ? { description: options.description } : {}),
      ...(options.tag.length > 0 ? { tags: options.tag } : {}),
      ...(options.bugRef !== undefined ? { bugRef: options.bugRef } : {}),
      ...(options.expires !== undefined ? { expiresIn: options.expires } : {}),
    };
    const ctx = contextOf(io, command);
    const api = await ctx.api();
    const accepted = await api.send(rest.bookmarks.create(branchId, body));
    await completeOperation(api, ctx.output, accepted, `bookmark "${options.name}"`, options);
  });

  bookmarks
    .command('share <bookmarkId>')
    .description('share a bookmark with users (by name or id) or with everyone')
    .option('--user <user>', 'a user name or id (repeat for several)', collect, [])
    .option('--everyone', 'share with every user')
    .action(async (id: string, options: ShareOptions, command: Command) => {
      const users = options.user ?? [];
      if (users.length > 0 && options.everyone)
        throw usageError('give --user or --everyone, not both');
      if (users.length === 0 && !options.everyone)
        throw usageError('say whom to share with: --user <name> (repeatable) or --everyone');
      const ctx = contextOf(io, command);
      const api = await ctx.api();
      const body: ShareBookmark = options.everyone
        ? { everyone: true }
        : { userIds: await userIds(api, users) };
      const bookmark = await api.send(rest.bookmarks.share(id, body));
      ctx.output.message(
        `bookmark ${id} is now visible to ${options.everyone ? 'everyone' : users.join(', ')}`,
      );
      ctx.output.result(bookmark, () => '');
    });

  bookmarks
    .command('unshare <bookmarkId>')
    .description('make a bookmark private again')
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = contextOf(io, command);
      const api = await ctx.api();
      const bookmark = await api.send(rest.bookmarks.unshare(id));
      ctx.output.message(`bookmark ${id} is private again`);
      ctx.output.result(bookmark, () => '');
    });

  bookmarks
    .command('delete <bookmarkId>')
    .description('delete a bookmark (refused while something was created from it)')
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = contextOf(io, command);
      const api = await ctx.api();
      await api.send(rest.bookmarks.delete(id));
      ctx.output.message(`bookmark ${id} deleted`);
      ctx.output.result({ id, deleted: true }, () => '');
    });

  registerExpiryCommands(bookmarks, io, { name: 'bookmark', update: rest.bookmarks.update });
}

/** User ids for names or ids; an unknown name is "not found" (exit 3). */
export async function userIds(api: ApiClient, namesOrIds: readonly string[]): Promise<string[]> {
  if (namesOrIds.every(isUuid)) return [...namesOrIds];
  const users = await api.sendAll(rest.users.list());
  return namesOrIds.map((nameOrId) => {
    if (isUuid(nameOrId)) return nameOrId;
    const user = users.find((candidate) => candidate.username === nameOrId);
    if (!user) throw new CliError(`no user named "${nameOrId}"`, ExitCode.notFound);
    return user.id;
  });
}

function renderBookmark(bookmark: Bookmark): string {
  return formatDetails([
    ['ID', bookmark.id],
    ['Name', bookmark.name],
    ['Description', bookmark.description],
    ['Tags', bookmark.tags.join(', ')],
    ['Bug', bookmark.bugRef],
    ['Creator', bookmark.creator],
    ['Visibility', bookmark.visibility],
    ['Container', `${bookmark.containerName} (${bookmark.containerId})`],
    ['Branch', bookmark.branchId],
    ['Point', bookmark.pointId],
    ['Expires', expiryLabel(bookmark)],
    ['Created', formatTime(bookmark.createdAt)],
  ]);
}

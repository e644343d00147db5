import type { Command } from 'commander';
import { ApiClient } from './api/client.js';
import { openSocketIo, type OpenSocket } from './api/job-updates.js';
import { configPath, readConfig, resolveSettings, type Env, type Settings } from './config.js';
import { Output, type Streams } from './output.js';

/** Everything a command touches outside itself; the real process in use, fakes in tests. */
export interface Io extends Streams {
  env: Env;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  fetch?: typeof fetch;
  /** The control plane's socket; by default socket.io, none when `fetch` is a fake (no real server). */
  openSocket?: OpenSocket;
}

/** The options every command accepts (defined on the program). */
export interface GlobalOptions {
  url?: string;
  token?: string;
  json?: boolean;
}

/** What a command's action works with: where to write, and the API as configured. */
export class Context {
  readonly output: Output;

  constructor(
    readonly io: Io,
    private readonly globals: GlobalOptions,
  ) {
    this.output = new Output(io, globals.json === true);
  }

  get configPath(): string {
    return configPath(this.io.env);
  }

  async settings(): Promise<Settings> {
    return resolveSettings(this.globals, this.io.env, await readConfig(this.configPath));
  }

  /** The API as configured by flags, environment and config file. */
  async api(): Promise<ApiClient> {
    const { url, token } = await this.settings();
    return this.client(url, token);
  }

  /** The API of a given server with a given token. */
  client(url: string, token: string | undefined): ApiClient {
    const openSocket = this.io.openSocket ?? (this.io.fetch ? undefined : openSocketIo);
    return new ApiClient({
      url,
      token,
      ...(this.io.fetch ? { fetch: this.io.fetch } : {}),
      ...(openSocket ? { openSocket } : {}),
    });
  }
}

/** The context of the command whose action is running (its options merged with the program's). */
export function contextOf(io: Io, command: Command): Context {
  return new Context(io, command.optsWithGlobals<GlobalOptions>());
}

import {
  ApiError as FetchApiError,
  ApiNotJsonError,
  ApiUnreachableError,
  FetchClient,
  type ApiCall,
} from '@branchpoint/api-client';
import { ERROR_STATUS, type ErrorCode } from '@branchpoint/contracts';
import { CliError, ExitCode } from '../errors.js';
import { connectJobUpdates, type JobUpdates, type OpenSocket } from './job-updates.js';

/** Codes that mean "try again later" rather than "this failed". */
const UNAVAILABLE: ReadonlySet<ErrorCode> = new Set(['agent.unavailable', 'metadata.unavailable']);

/**
 * The exit code for an error answer (see docs/cli.md): chosen by the body's stable `code`, and
 * by the HTTP status only for answers without one (e.g. a proxy's error page).
 */
export function exitCodeFor(code: ErrorCode | undefined, status: number): ExitCode {
  if (code === undefined) return exitCodeForStatus(status);
  if (UNAVAILABLE.has(code)) return ExitCode.unavailable;
  return exitCodeForStatus(ERROR_STATUS[code]);
}

/** The exit code for an HTTP error status. */
function exitCodeForStatus(status: number): ExitCode {
  if (status === 400 || status === 422) return ExitCode.usage;
  // 429: too many failed logins; like a refused login, retrying at once will not help.
  if (status === 401 || status === 403 || status === 429) return ExitCode.auth;
  if (status === 404) return ExitCode.notFound;
  if (status === 409) return ExitCode.conflict;
  return ExitCode.failed;
}

/** An error answer of the control plane (`{statusCode, error, code, message}`). */
export class ApiError extends CliError {
  constructor(
    readonly status: number,
    message: string,
    /** The body's stable code; undefined when the answer was not the control plane's. */
    readonly code?: ErrorCode,
  ) {
    super(message, exitCodeFor(code, status));
    this.name = 'ApiError';
  }
}

export interface ApiClientOptions {
  /** The server's base URL; calls go to `<url>/api/v1/...`. */
  url: string;
  token: string | undefined;
  fetch?: typeof fetch;
  /** Per request; a server that does not answer in time counts as unreachable. */
  timeoutMs?: number;
  /** Opens the control plane's socket; without it, waiting for a job polls. */
  openSocket?: OpenSocket;
}

/**
 * Sends the generated calls of `api` (@branchpoint/api-client) for the commands, and turns every
 * failure into a CliError with its exit code: error answers by their stable code, a server that
 * cannot be reached as exit code 6.
 */
export class ApiClient {
  private readonly client: FetchClient;

  constructor(private readonly options: ApiClientOptions) {
    this.client = new FetchClient({
      baseUrl: options.url,
      token: options.token,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    });
  }

  get url(): string {
    return this.options.url;
  }

  /** The same server with another token (e.g. the session token during login). */
  withToken(token: string): ApiClient {
    return new ApiClient({ ...this.options, token });
  }

  /** Job updates pushed over the socket; undefined without a token, or when it does not connect. */
  async jobUpdates(): Promise<JobUpdates | undefined> {
    const { openSocket, token, url } = this.options;
    if (!openSocket || !token) return undefined;
    return connectJobUpdates(openSocket, url, token);
  }

  async send<Answer>(call: ApiCall<Answer>): Promise<Answer> {
    try {
      return await this.client.send(call);
    } catch (error) {
      throw this.cliError(error);
    }
  }

  /** Every item of a list call, following its pages; for commands that show the whole list. */
  async sendAll<Item>(call: ApiCall<Item[]>): Promise<Item[]> {
    try {
      return await this.client.sendAll(call);
    } catch (error) {
      throw this.cliError(error);
    }
  }

  private cliError(error: unknown): unknown {
    if (error instanceof FetchApiError) {
      const hint =
        error.status === 401 && !this.options.token
          ? ': run `branchpoint login` or set BRANCHPOINT_TOKEN'
          : '';
      return new ApiError(error.status, error.message + hint, error.code);
    }
    if (error instanceof ApiUnreachableError)
      return new CliError(
        `cannot reach the Branchpoint server at ${this.options.url}: ${error.reason}`,
        ExitCode.unreachable,
      );
    if (error instanceof ApiNotJsonError)
      return new CliError(
        `${error.call.method} ${error.call.path}: the server at ${this.options.url} answered with something that is not JSON; is it a Branchpoint server?`,
        ExitCode.failed,
      );
    return error;
  }
}

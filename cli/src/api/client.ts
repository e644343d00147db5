import { ERROR_STATUS, isErrorCode, type ErrorCode } from '@branchpoint/contracts';
import { CliError, ExitCode } from '../errors.js';

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
  /** The server's base URL; requests go to `<url>/api/v1<path>`. */
  url: string;
  token: string | undefined;
  fetch?: typeof fetch;
  /** Per request; a server that does not answer in time counts as unreachable. */
  timeoutMs?: number;
}

/** The REST API of the control plane: JSON in and out, a Bearer token, errors as `ApiError`. */
export class ApiClient {
  private readonly fetch: typeof fetch;

  constructor(private readonly options: ApiClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  get url(): string {
    return this.options.url;
  }

  /** The same server with another token (e.g. the session token during login). */
  withToken(token: string): ApiClient {
    return new ApiClient({ ...this.options, token });
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  patch<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body);
  }

  /** A GET whose answer is text of `accept`'s type (e.g. a PEM file), not JSON. */
  getText(path: string, accept: string): Promise<string> {
    return this.send('GET', path, undefined, accept);
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const text = await this.send(method, path, body, 'application/json');
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new CliError(
        `${method} ${path}: the server at ${this.options.url} answered with something that is not JSON; is it a Branchpoint server?`,
        ExitCode.failed,
      );
    }
  }

  /** The answer's text; errors as `ApiError`, an unreachable server as exit code 6. */
  private async send(method: string, path: string, body: unknown, accept: string): Promise<string> {
    const headers: Record<string, string> = { accept };
    if (this.options.token) headers['authorization'] = `Bearer ${this.options.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await this.fetch(`${this.options.url}/api/v1${path}`, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (error) {
      throw new CliError(
        `cannot reach the Branchpoint server at ${this.options.url}: ${networkReason(error)}`,
        ExitCode.unreachable,
      );
    }
    const text = await response.text();
    if (!response.ok) {
      const body = errorBody(text);
      throw new ApiError(
        response.status,
        errorMessage(response, body, this.options.token !== undefined),
        isErrorCode(body?.code) ? body.code : undefined,
      );
    }
    return text;
  }
}

function networkReason(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return 'no answer in time';
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/** The control plane's error body, or null for anything else (e.g. a proxy's page). */
function errorBody(text: string): { message?: unknown; code?: unknown } | null {
  try {
    const body: unknown = JSON.parse(text);
    return typeof body === 'object' && body !== null ? body : null;
  } catch {
    return null;
  }
}

/** The server's own message when it sent one, with a hint for the common authentication mistake. */
function errorMessage(
  response: Response,
  body: { message?: unknown } | null,
  hadToken: boolean,
): string {
  let message = `${response.status} ${response.statusText}`.trim();
  if (typeof body?.message === 'string' && body.message) message = body.message;
  if (response.status === 401 && !hadToken)
    message += ': run `branchpoint login` or set BRANCHPOINT_TOKEN';
  return message;
}

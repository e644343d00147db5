import { isErrorCode, type ErrorCode } from '@branchpoint/contracts';
import {
  NEXT_CURSOR_HEADER,
  pageCall,
  queryString,
  type ApiCall,
  type ListPage,
} from './api-call.js';

/** An error answer of the control plane; `code` is its stable code when the body had one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: ErrorCode | undefined,
    /** The answer's body: the control plane's error body, or whatever a proxy sent. */
    readonly body: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The server did not answer: refused, unknown host, or no answer in time. */
export class ApiUnreachableError extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`cannot reach ${url}: ${reason}`);
    this.name = 'ApiUnreachableError';
  }
}

/** The server answered 2xx with something that is not the JSON asked for. */
export class ApiNotJsonError extends Error {
  constructor(readonly call: ApiCall<unknown>) {
    super(`${call.method} ${call.path}: the answer is not JSON`);
    this.name = 'ApiNotJsonError';
  }
}

export interface FetchClientOptions {
  /** The server's origin, e.g. `http://localhost:3000`. */
  baseUrl: string;
  /** Bearer token (access or API token). */
  token?: string;
  fetch?: typeof fetch;
  /** Per request; the default is 30 s. */
  timeoutMs?: number;
}

/** Sends calls of `api` with fetch: JSON in and out, a Bearer token, error answers as ApiError. */
export class FetchClient {
  private readonly fetch: typeof fetch;

  constructor(readonly options: FetchClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /** The same server with another token. */
  withToken(token: string | undefined): FetchClient {
    return new FetchClient({ ...this.options, token });
  }

  async send<Answer>(call: ApiCall<Answer>): Promise<Answer> {
    const text = await this.sendForText(call);
    if (call.accept) return text as Answer;
    if (text === '') return undefined as Answer;
    try {
      return JSON.parse(text) as Answer;
    } catch {
      throw new ApiNotJsonError(call);
    }
  }

  /** One page of a list call, and the cursor of the next (null on the last page). */
  async sendPage<Item>(call: ApiCall<Item[]>): Promise<ListPage<Item>> {
    const { text, response } = await this.exchange(call);
    try {
      return {
        items: JSON.parse(text) as Item[],
        next: response.headers.get(NEXT_CURSOR_HEADER),
      };
    } catch {
      throw new ApiNotJsonError(call);
    }
  }

  /** Every item of a list call, following its pages (for commands and pages that need the whole list). */
  async sendAll<Item>(call: ApiCall<Item[]>): Promise<Item[]> {
    const items: Item[] = [];
    for (let cursor: string | null = null; ;) {
      const page: ListPage<Item> = await this.sendPage(pageCall(call, cursor));
      items.push(...page.items);
      if (!page.next) return items;
      cursor = page.next;
    }
  }

  /** The answer's text; error answers as ApiError, no answer as ApiUnreachableError. */
  async sendForText(call: ApiCall<unknown>): Promise<string> {
    return (await this.exchange(call)).text;
  }

  private async exchange(call: ApiCall<unknown>): Promise<{ text: string; response: Response }> {
    const headers: Record<string, string> = { accept: call.accept ?? 'application/json' };
    if (this.options.token) headers['authorization'] = `Bearer ${this.options.token}`;
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    const url = `${this.options.baseUrl.replace(/\/+$/, '')}${call.path}${queryString(call.query)}`;
    let response: Response;
    try {
      response = await this.fetch(url, {
        method: call.method,
        headers,
        body: call.body === undefined ? null : JSON.stringify(call.body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (error) {
      throw new ApiUnreachableError(this.options.baseUrl, networkReason(error));
    }
    const text = await response.text();
    if (!response.ok) throw apiError(response, text);
    return { text, response };
  }
}

function apiError(response: Response, text: string): ApiError {
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not the control plane's error body (e.g. a proxy's page).
  }
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const message =
    typeof fields['message'] === 'string' && fields['message']
      ? fields['message']
      : `${response.status} ${response.statusText}`.trim();
  return new ApiError(
    response.status,
    message,
    isErrorCode(fields['code']) ? fields['code'] : undefined,
    body,
  );
}

function networkReason(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return 'no answer in time';
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

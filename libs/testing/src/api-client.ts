import { api, FetchClient, type ApiCall } from '@branchpoint/api-client';
import type { JobView } from '@branchpoint/contracts';

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
}

/**
 * The control plane's REST API for tests: `send` sends the generated calls of
 * @branchpoint/api-client (what the harness itself uses); `request`/`expect` send any method, path
 * and body, as an attacker or a broken client would, and return the status instead of throwing.
 */
export class ApiClient {
  private readonly client: FetchClient;

  constructor(
    /** `<origin>/api/v1`: raw paths are relative to it. */
    readonly apiUrl: string,
    readonly token: string | null = null,
  ) {
    this.client = new FetchClient({
      baseUrl: apiUrl.replace(/\/api\/v1\/?$/, ''),
      ...(token ? { token } : {}),
      timeoutMs: 300_000,
    });
  }

  /** A generated call; error answers throw ApiError (status, code, body). */
  send<Answer>(call: ApiCall<Answer>): Promise<Answer> {
    return this.client.send(call);
  }

  /** The same API as another caller (a token, or none). */
  as(token: string | null): ApiClient {
    return new ApiClient(this.apiUrl, token);
  }

  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    const response = await fetch(`${this.apiUrl}${path}`, {
      method,
      headers: {
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON (metrics): keep the text.
    }
    return { status: response.status, body: parsed as T };
  }

  get<T = unknown>(path: string): Promise<ApiResponse<T>> {
    return this.request<T>('GET', path);
  }

  post<T = unknown>(path: string, body?: unknown): Promise<ApiResponse<T>> {
    return this.request<T>('POST', path, body);
  }

  patch<T = unknown>(path: string, body?: unknown): Promise<ApiResponse<T>> {
    return this.request<T>('PATCH', path, body);
  }

  delete<T = unknown>(path: string): Promise<ApiResponse<T>> {
    return this.request<T>('DELETE', path);
  }

  /** The body of a call that must answer `expected`; otherwise throws with the answer. */
  async expect<T = unknown>(
    expected: number,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> {
    const response = await this.request<T>(method, path, body);
    if (response.status !== expected) {
      throw new Error(
        `${method} ${path} answered ${response.status}, expected ${expected}: ${JSON.stringify(response.body)}`,
      );
    }
    return response.body;
  }

  /** Waits until the job finished; returns it (failed jobs too, so tests can assert on them). */
  async waitForJob(jobId: string, timeoutMs = 120_000): Promise<JobView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // The document's job type names the same strings as the JobName enum of JobView.
      const job = (await this.send(api.jobs.get(jobId))) as JobView;
      if (job.state === 'succeeded' || job.state === 'failed') return job;
      if (Date.now() > deadline)
        throw new Error(`job ${jobId} still ${job.state} after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** Starts an operation (202) and waits for its job to succeed; returns the job and the created id. */
  async operate(
    method: string,
    path: string,
    body?: unknown,
    timeoutMs?: number,
  ): Promise<{ job: JobView; id: string | undefined }> {
    const accepted = await this.expect<{ jobId: string; id?: string }>(202, method, path, body);
    const job = await this.waitForJob(accepted.jobId, timeoutMs);
    if (job.state !== 'succeeded')
      throw new Error(
        `${method} ${path}: job ${job.id} (${job.type}) failed: ${job.error ?? 'no error given'}`,
      );
    return { job, id: accepted.id };
  }

  /** Logs in and returns the access token. */
  async login(username: string, password: string): Promise<string> {
    const { accessToken } = await this.as(null).send(api.auth.login({ username, password }));
    return accessToken;
  }
}

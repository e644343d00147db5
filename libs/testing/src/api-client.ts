import type { JobView } from '@branchpoint/contracts';

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
}

/** A small client of the control plane's REST API (`/api/v1`), for tests. */
export class ApiClient {
  constructor(
    readonly apiUrl: string,
    readonly token: string | null = null,
  ) {}

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
      const job = await this.expect<JobView>(200, 'GET', `/jobs/${jobId}`);
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
    const { accessToken } = await this.as(null).expect<{ accessToken: string }>(
      200,
      'POST',
      '/auth/login',
      { username, password },
    );
    return accessToken;
  }
}

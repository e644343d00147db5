import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake forge received. */
export interface ForgeCall {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The JSON body, parsed (null when none or not JSON). */
  body: Record<string, unknown> | null;
  status: number;
}

export interface FakeComment {
  id: number;
  /** `github:<owner>/<repo>#<n>` or `gitlab:<project path>!<iid>`. */
  target: string;
  body: string;
}

/**
 * A local stand-in for the parts of GitHub's and GitLab's REST APIs that pull-request databases
 * use (issue comments, merge-request notes), and for Slack incoming webhooks (any path under
 * /slack/). Records every call; `failNext(n)` answers the next n calls with 500.
 */
export class FakeForge {
  readonly calls: ForgeCall[] = [];
  readonly comments = new Map<number, FakeComment>();
  private nextId = 1000;
  private failures = 0;

  private constructor(
    private readonly server: Server,
    /** `http://<host>:<port>`: the GitHub API base, GitLab's is `${url}/api/v4`. */
    readonly url: string,
  ) {}

  /** Listens on `host` (a loopback address the stack's outbound fence allows). */
  static async start(host = '127.0.0.2'): Promise<FakeForge> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    const forge = new FakeForge(server, `http://${host}:${(server.address() as AddressInfo).port}`);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () =>
        forge.answer(req.method ?? '', req.url ?? '', req.headers, Buffer.concat(chunks), res),
      );
    });
    return forge;
  }

  failNext(count: number): void {
    this.failures = count;
  }

  /** The comments on one pull request (`github:acme/shop#7`, `gitlab:group/app!3`). */
  commentsOn(target: string): FakeComment[] {
    return [...this.comments.values()].filter((comment) => comment.target === target);
  }

  slackMessages(): string[] {
    return this.calls
      .filter((call) => call.path.startsWith('/slack/') && call.status === 200)
      .map((call) => String(call.body?.['text']));
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server.close(resolve));
  }

  private answer(
    method: string,
    rawPath: string,
    headers: ForgeCall['headers'],
    raw: Buffer,
    res: ServerResponse,
  ): void {
    let body: Record<string, unknown> | null = null;
    try {
      body = raw.length > 0 ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : null;
    } catch {
      body = null;
    }
    const path = decodeURIComponent(rawPath);
    const reply = (status: number, answer?: unknown) => {
      this.calls.push({ method, path, headers, body, status });
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(answer === undefined ? '' : JSON.stringify(answer));
    };
    if (this.failures > 0) {
      this.failures--;
      reply(500, { message: 'fake failure' });
      return;
    }
    if (path.startsWith('/slack/')) return reply(200, 'ok');
    const text = typeof body?.['body'] === 'string' ? body['body'] : null;
    const authorized =
      headers['authorization']?.toString().startsWith('Bearer ') ||
      Boolean(headers['private-token']);
    if (!authorized) return reply(401, { message: 'Bad credentials' });
    let match = /^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)\/comments$/.exec(path);
    if (match && method === 'POST' && text !== null)
      return reply(201, this.add(`github:${match[1]}#${match[2]}`, text));
    match = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(path);
    if (match && method === 'PATCH' && text !== null)
      return reply(...this.edit(Number(match[1]), text));
    match = /^\/api\/v4\/projects\/(.+)\/merge_requests\/(\d+)\/notes$/.exec(path);
    if (match && method === 'POST' && text !== null)
      return reply(201, this.add(`gitlab:${match[1]}!${match[2]}`, text));
    match = /^\/api\/v4\/projects\/.+\/merge_requests\/\d+\/notes\/(\d+)$/.exec(path);
    if (match && method === 'PUT' && text !== null)
      return reply(...this.edit(Number(match[1]), text));
    reply(404, { message: 'Not Found' });
  }

  private add(target: string, body: string): FakeComment {
    const comment = { id: this.nextId++, target, body };
    this.comments.set(comment.id, comment);
    return comment;
  }

  private edit(id: number, body: string): [number, unknown] {
    const comment = this.comments.get(id);
    if (!comment) return [404, { message: 'Not Found' }];
    comment.body = body;
    return [200, comment];
  }
}

import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import {
  type AllowEntry,
  classifyAddress,
  type OutboundOutcome,
} from '../common/outbound-address.js';
import {
  addressProblem,
  guardedLookup,
  hostOf,
  OutboundRefusedError,
  type Resolver,
} from './outbound-fence.js';

export interface OutboundPost {
  /** POST unless told (a forge's comment is edited with PATCH or PUT). */
  method?: 'POST' | 'PATCH' | 'PUT';
  /** Keep the answer's body (up to 64 KiB), for callers that need what the server made. */
  readAnswer?: boolean;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  rules: readonly AllowEntry[];
  /** Tests only: a resolver of their own (the system's by default). */
  resolve?: Resolver;
}

export interface OutboundResult {
  outcome: OutboundOutcome;
  /** The HTTP status, or the socket error: for the server log only, never for users. */
  detail: string;
  /** The HTTP status, when the server answered. */
  status?: number;
  /** The answer's body, when asked for with `readAnswer` and the request reached the server. */
  answer?: string;
}

const ANSWER_LIMIT = 64 * 1024;

const TLS_CODES =
  /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|EPROTO$|HOSTNAME_MISMATCH)/;

/** The category of a failed request. */
export function outcomeOfError(error: NodeJS.ErrnoException): OutboundOutcome {
  const code = error.code ?? '';
  if (error instanceof OutboundRefusedError) return 'address-refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENODATA') return 'dns-failed';
  if (code === 'ECONNREFUSED') return 'connection-refused';
  if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT' || error.name === 'TimeoutError')
    return 'timeout';
  if (TLS_CODES.test(code)) return 'tls-failed';
  return 'connection-failed';
}

export function outcomeOfStatus(status: number): OutboundOutcome {
  if (status >= 200 && status < 300) return 'ok';
  if (status >= 500) return 'http-5xx';
  if (status >= 400) return 'http-4xx';
  return 'http-3xx';
}

/**
 * Sends a body (POST by default) through the outbound fence: the host, literal or resolved at
 * connect time, must be allowed (outbound-fence.ts); redirects are not followed (a 3xx is a
 * failure of its own); one deadline covers connect, TLS and the answer's headers. Never throws.
 */
export function postGuarded(raw: string, post: OutboundPost): Promise<OutboundResult> {
  return new Promise((resolve) => {
    const url = URL.parse(raw);
    if (!url || !['http:', 'https:'].includes(url.protocol)) {
      resolve({ outcome: 'address-refused', detail: 'not an http(s) URL' });
      return;
    }
    const host = hostOf(url);
    // A literal address is connected to without `lookup`: it is checked here instead.
    const literalProblem =
      classifyAddress(host) === null ? null : addressProblem(host, host, post.rules);
    if (literalProblem) {
      resolve({ outcome: 'address-refused', detail: literalProblem });
      return;
    }
    let settled = false;
    const finish = (result: OutboundResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(result);
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(
      url,
      {
        method: post.method ?? 'POST',
        headers: { ...post.headers, 'Content-Length': String(Buffer.byteLength(post.body)) },
        lookup: guardedLookup(post.rules, post.resolve),
        // No pooled socket: each request resolves and checks its address afresh.
        agent: false,
      },
      (response) => {
        const status = response.statusCode ?? 0;
        const result = { outcome: outcomeOfStatus(status), detail: `HTTP ${status}`, status };
        if (!post.readAnswer) {
          response.destroy();
          finish(result);
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= ANSWER_LIMIT) chunks.push(chunk);
        });
        response.on('end', () =>
          finish({ ...result, answer: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', () => finish(result));
      },
    );
    const deadline = setTimeout(() => {
      const error = new Error(`no answer within ${post.timeoutMs} ms`);
      error.name = 'TimeoutError';
      request.destroy(error);
    }, post.timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) =>
      finish({
        outcome: outcomeOfError(error),
        detail:
          error.code && !(error instanceof OutboundRefusedError)
            ? `${error.code}: ${error.message}`
            : error.message,
      }),
    );
    request.end(post.body);
  });
}

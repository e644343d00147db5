import { type IncomingHttpHeaders, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
}

export interface WebhookReceiver {
  /** Where the control plane should POST. */
  url: string;
  /** The next POST that arrives (or one that already did), within `timeoutMs`. */
  next(timeoutMs?: number): Promise<ReceivedWebhook>;
  close(): Promise<void>;
}

/** A real HTTP endpoint on 127.0.0.1 that answers 200 and keeps what it was sent. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const waiting: ((hook: ReceivedWebhook) => void)[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const hook = { headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
      const waiter = waiting.shift();
      if (waiter) waiter(hook);
      else received.push(hook);
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/branchpoint`,
    next(timeoutMs = 30_000) {
      const early = received.shift();
      if (early) return Promise.resolve(early);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no webhook arrived within ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiting.push((hook) => {
          clearTimeout(timer);
          resolve(hook);
        });
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { Readable } from 'node:stream';
import { connect, type TLSSocket } from 'node:tls';

const CONNECT_TIMEOUT_MS = 15_000;

export interface UploadAnswer {
  statusCode: number;
  body: string;
}

/**
 * POSTs `body` (a stream, piped as it comes) to `url` on an agent that presents the pinned
 * certificate. Agents' certificates are self-signed, so the pin replaces chain and name checks;
 * the TLS handshake and the pin check finish before a single byte of the body leaves.
 */
export async function pinnedUpload(
  url: URL,
  fingerprint: string,
  headers: Record<string, string>,
  body: Readable,
): Promise<UploadAnswer> {
  const socket = await pinnedSocket(url, fingerprint);
  return new Promise<UploadAnswer>((resolve, reject) => {
    const request = httpsRequest(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/octet-stream' },
      createConnection: () => socket,
    });
    request.once('error', reject);
    request.once('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (text.length < 64 * 1024) text += chunk;
      });
      response.once('end', () => resolve({ statusCode: response.statusCode ?? 0, body: text }));
      response.once('error', reject);
      // The receiver answered (maybe refused) before reading everything: stop sending.
      body.unpipe(request);
    });
    body.once('error', (error) => request.destroy(error));
    body.pipe(request);
  });
}

function pinnedSocket(url: URL, fingerprint: string): Promise<TLSSocket> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const socket = connect({
      host,
      port: Number(url.port || 443),
      rejectUnauthorized: false,
      ...(isIP(host) ? {} : { servername: host }),
      timeout: CONNECT_TIMEOUT_MS,
    });
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.once('secureConnect', () => {
      socket.setTimeout(0);
      const presented = socket.getPeerCertificate().fingerprint256;
      if (presented === fingerprint) resolve(socket);
      else
        fail(
          new Error(
            `the receiving agent at ${url.origin} presents certificate ${presented ?? '(none)'}, not the pinned ${fingerprint}`,
          ),
        );
    });
    socket.once('timeout', () =>
      fail(new Error(`no TLS handshake with ${url.origin} within ${CONNECT_TIMEOUT_MS} ms`)),
    );
    socket.once('error', fail);
  });
}

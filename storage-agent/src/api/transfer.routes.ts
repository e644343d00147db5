import { agentRoutes as r } from '@branchpoint/contracts/agent-api';
import type { FastifyInstance } from 'fastify';
import type { Readable } from 'node:stream';
import { badRequest } from '../common/agent-failure.js';
import type { TransferService } from '../transfer/transfer.service.js';
import { parse, serve } from './serve.js';

export function transferRoutes(app: FastifyInstance, transfers: TransferService): void {
  serve(app, r.expectTransfer, async ({ params, body }) =>
    transfers.expect(params.transferId, body),
  );
  serve(app, r.sendTransfer, async ({ params, body }) => transfers.send(params.transferId, body));
  serve(app, r.transfer, async ({ params, query }) =>
    transfers.status(params.transferId, query.waitMs),
  );
  // The stream itself: its body is raw bytes, handed on as a stream (never parsed or buffered).
  app.addContentTypeParser('application/octet-stream', (_request, payload, done) =>
    done(null, payload),
  );
  app.route({
    method: r.receiveTransfer.method,
    url: r.receiveTransfer.pattern,
    handler: async (request) => {
      const { transferId } = parse(r.receiveTransfer.params, request.params, 'params');
      if (request.headers['content-type'] !== 'application/octet-stream')
        throw badRequest('a transfer stream is sent as application/octet-stream');
      return transfers.receive(transferId, request.headers, request.body as Readable);
    },
  });
}

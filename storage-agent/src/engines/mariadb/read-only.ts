import type { ReadOnlyServer, ReadOnlyServing } from '../engine.js';
import { READER_USER, type MariadbInstances } from './instances.js';

/**
 * A point's clone served read-only by mariadbd: its init file makes the reader, locks every
 * other account and sets `read_only` before the first client, so only the reader gets in and it
 * can change nothing (it holds no privilege that passes `read_only`).
 */
export class MariadbReadOnly implements ReadOnlyServing {
  readonly readerRole = READER_USER;

  constructor(private readonly instances: MariadbInstances) {}

  async start(server: ReadOnlyServer): Promise<void> {
    await this.instances.serve({
      containerId: server.name,
      sourceId: server.sourceId,
      dataDir: server.dataDir,
      port: server.port,
      identity: server.identity,
      tls: true,
      readerHash: server.readerVerifier,
    });
  }
}

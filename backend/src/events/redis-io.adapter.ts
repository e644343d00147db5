import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';

type IoServer = ReturnType<IoAdapter['createIOServer']>;

/** socket.io through Redis pub/sub, so events reach sockets connected to any replica. */
export class RedisIoAdapter extends IoAdapter {
  private readonly pub: Redis;
  private readonly sub: Redis;

  constructor(
    app: INestApplicationContext,
    redisUrl: string,
    private readonly keyPrefix: string,
    /** Origins allowed besides the API's own (BP_CORS_ORIGINS); none by default. */
    private readonly corsOrigins: string[],
  ) {
    super(app);
    this.pub = new Redis(redisUrl);
    this.sub = this.pub.duplicate();
  }

  override createIOServer(
    port: number,
    options?: Parameters<IoAdapter['createIOServer']>[1],
  ): IoServer {
    const cors = this.corsOrigins.length > 0 ? { cors: { origin: this.corsOrigins } } : {};
    const server: IoServer = super.createIOServer(port, { ...options, ...cors } as typeof options);
    // @nestjs/platform-socket.io brings its own copy of socket.io's types; the adapter works with either.
    server.adapter(
      createAdapter(this.pub, this.sub, {
        key: `${this.keyPrefix}:socket.io`,
      }) as unknown as Parameters<IoServer['adapter']>[0],
    );
    return server;
  }

  override async dispose(): Promise<void> {
    await super.dispose();
    this.pub.disconnect();
    this.sub.disconnect();
  }
}

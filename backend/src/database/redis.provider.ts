import type { OnApplicationShutdown, Provider } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '../config/app-config.js';

/** The control plane's Redis client: queues (BullMQ 6 takes an explicit client), container locks, login limits. */
export class QueueRedis extends Redis implements OnApplicationShutdown {
  onApplicationShutdown(): void {
    this.disconnect();
  }
}

export const queueRedisProvider: Provider = {
  provide: QueueRedis,
  inject: [AppConfig],
  // BullMQ's blocking commands need maxRetriesPerRequest: null.
  useFactory: (config: AppConfig) =>
    new QueueRedis(config.redisUrl, { maxRetriesPerRequest: null }),
};

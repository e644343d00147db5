import type { OnApplicationShutdown, Provider } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '../config/app-config.js';

/** The Redis client of the queue and the container locks (BullMQ 6 takes an explicit client). */
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

import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JobRunner } from './job-runner.js';
import { JobRecord } from './job.entity.js';
import { JobsController } from './jobs.controller.js';
import { JobsService } from './jobs.service.js';
import { QueueRedis, queueRedisProvider } from './redis.provider.js';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([JobRecord]), DiscoveryModule],
  controllers: [JobsController],
  providers: [queueRedisProvider, JobsService, JobRunner],
  exports: [JobsService, JobRunner, QueueRedis],
})
export class JobsModule {}

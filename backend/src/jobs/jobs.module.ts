import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JobRecord } from '../database/entities/job.entity.js';
import { QueueRedis, queueRedisProvider } from '../database/redis.provider.js';
import { JobRunner } from './job-runner.js';
import { JobsController } from './jobs.controller.js';
import { JobsService } from './jobs.service.js';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([JobRecord]), DiscoveryModule],
  controllers: [JobsController],
  providers: [queueRedisProvider, JobsService, JobRunner],
  exports: [JobsService, JobRunner, QueueRedis],
})
export class JobsModule {}

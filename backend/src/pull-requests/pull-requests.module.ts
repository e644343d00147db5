import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BranchesModule } from '../branches/branches.module.js';
import { ContainersModule } from '../containers/containers.module.js';
import { Point } from '../database/entities/point.entity.js';
import { PullRequestConfig } from '../database/entities/pull-request-config.entity.js';
import { PullRequestDatabase } from '../database/entities/pull-request-database.entity.js';
import { PullRequestEvent } from '../database/entities/pull-request-event.entity.js';
import { OutboundModule } from '../outbound/outbound.module.js';
import { TemplatesModule } from '../templates/templates.module.js';
import { UsersModule } from '../users/users.module.js';
import { ForgeComments } from './forge-comments.js';
import { ForgeWebhooksController } from './forge-webhooks.controller.js';
import { ForgeWebhooksService } from './forge-webhooks.service.js';
import { HandlePullRequestEventJob } from './jobs/handle-pull-request-event.job.js';
import { PullRequestConfigsController } from './pull-request-configs.controller.js';
import { PullRequestConfigsService } from './pull-request-configs.service.js';
import { PullRequestQueue } from './pull-request-queue.js';

/** A database per pull request: forge webhooks in, containers or branches made, comments out. */
@Module({
  imports: [
    TypeOrmModule.forFeature([PullRequestConfig, PullRequestEvent, PullRequestDatabase, Point]),
    ContainersModule,
    BranchesModule,
    TemplatesModule,
    UsersModule,
    OutboundModule,
  ],
  controllers: [PullRequestConfigsController, ForgeWebhooksController],
  providers: [
    PullRequestConfigsService,
    ForgeWebhooksService,
    PullRequestQueue,
    HandlePullRequestEventJob,
    ForgeComments,
  ],
})
export class PullRequestsModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BranchesModule } from '../branches/branches.module.js';
import { Bookmark } from '../database/entities/bookmark.entity.js';
import { Branch } from '../database/entities/branch.entity.js';
import { Container } from '../database/entities/container.entity.js';
import { Host } from '../database/entities/host.entity.js';
import { HostsModule } from '../hosts/hosts.module.js';
import { PreviewsModule } from '../previews/previews.module.js';
import { ReplicationModule } from '../replication/replication.module.js';
import { TemplatesModule } from '../templates/templates.module.js';
import { TimelineModule } from '../timeline/timeline.module.js';
import { UsersModule } from '../users/users.module.js';
import { ContainerCredentialsService } from './container-credentials.service.js';
import { ContainerSettingsService } from './container-settings.service.js';
import { ContainersController } from './containers.controller.js';
import { ContainersService } from './containers.service.js';
import { IdleService } from './idle.service.js';
import { PlacementController } from './placement.controller.js';
import { PlacementService } from './placement.service.js';
import { CreateContainerJob } from './jobs/create-container.job.js';
import { DeleteContainerJob } from './jobs/delete-container.job.js';
import { RefreshContainerJob } from './jobs/refresh-container.job.js';
import { RotateContainerPasswordJob } from './jobs/rotate-container-password.job.js';
import { StartContainerJob } from './jobs/start-container.job.js';
import { StopContainerJob } from './jobs/stop-container.job.js';
import { UndoContainerJob } from './jobs/undo-container.job.js';
import { UpdateContainerSettingsJob } from './jobs/update-container-settings.job.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([Container, Branch, Bookmark, Host]),
    BranchesModule,
    TimelineModule,
    TemplatesModule,
    HostsModule,
    UsersModule,
    PreviewsModule,
    ReplicationModule,
  ],
  controllers: [ContainersController, PlacementController],
  providers: [
    ContainersService,
    CreateContainerJob,
    DeleteContainerJob,
    RefreshContainerJob,
    UndoContainerJob,
    StartContainerJob,
    StopContainerJob,
    UpdateContainerSettingsJob,
    RotateContainerPasswordJob,
    ContainerSettingsService,
    ContainerCredentialsService,
    IdleService,
    PlacementService,
  ],
  exports: [ContainersService, PlacementService],
})
export class ContainersModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ContainersModule } from '../containers/containers.module.js';
import { Bookmark } from '../database/entities/bookmark.entity.js';
import { Branch } from '../database/entities/branch.entity.js';
import { Container } from '../database/entities/container.entity.js';
import { HostsModule } from '../hosts/hosts.module.js';
import { PreviewsModule } from '../previews/previews.module.js';
import { ReplicationModule } from '../replication/replication.module.js';
import { TemplatesModule } from '../templates/templates.module.js';
import { MoveContainerJob } from './jobs/move-container.job.js';
import { MovesController } from './moves.controller.js';
import { MovesService } from './moves.service.js';

/** Containers moving between hosts, and hosts drained (see MoveContainerJob). */
@Module({
  imports: [
    TypeOrmModule.forFeature([Container, Branch, Bookmark]),
    ContainersModule,
    HostsModule,
    PreviewsModule,
    ReplicationModule,
    TemplatesModule,
  ],
  controllers: [MovesController],
  providers: [MovesService, MoveContainerJob],
})
export class MovesModule {}

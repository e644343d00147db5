import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Container } from '../database/entities/container.entity.js';
import { HostsModule } from '../hosts/hosts.module.js';
import { TemplatesModule } from '../templates/templates.module.js';
import { TimelineModule } from '../timeline/timeline.module.js';
import { RemoveTemplateHostJob } from './jobs/remove-template-host.job.js';
import { ReplicateTemplateJob } from './jobs/replicate-template.job.js';
import { PointCopies } from './point-copies.service.js';
import { ReplicationService } from './replication.service.js';
import { TemplateHostsController } from './template-hosts.controller.js';
import { TemplateReplicas } from './template-replicas.service.js';
import { TransfersService } from './transfers.service.js';

/** Templates and bookmarks on several hosts: sent agent to agent with `zfs send`/`receive`. */
@Module({
  imports: [TypeOrmModule.forFeature([Container]), HostsModule, TemplatesModule, TimelineModule],
  controllers: [TemplateHostsController],
  providers: [
    ReplicationService,
    TransfersService,
    TemplateReplicas,
    PointCopies,
    ReplicateTemplateJob,
    RemoveTemplateHostJob,
  ],
  exports: [TransfersService, PointCopies, TemplateReplicas],
})
export class ReplicationModule {}

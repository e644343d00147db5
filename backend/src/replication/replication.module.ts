import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Container } from '../database/entities/container.entity.js';
import { HostsModule } from '../hosts/hosts.module.js';
import { TemplatesModule } from '../templates/templates.module.js';
import { RemoveTemplateHostJob } from './jobs/remove-template-host.job.js';
import { ReplicateTemplateJob } from './jobs/replicate-template.job.js';
import { ReplicationService } from './replication.service.js';
import { TemplateHostsController } from './template-hosts.controller.js';
import { TransfersService } from './transfers.service.js';

/** Templates on several hosts: versions sent agent to agent with `zfs send`/`receive`. */
@Module({
  imports: [TypeOrmModule.forFeature([Container]), HostsModule, TemplatesModule],
  controllers: [TemplateHostsController],
  providers: [ReplicationService, TransfersService, ReplicateTemplateJob, RemoveTemplateHostJob],
  exports: [TransfersService],
})
export class ReplicationModule {}

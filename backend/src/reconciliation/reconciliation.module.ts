import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditEvent } from '../database/entities/audit-event.entity.js';
import { Bookmark } from '../database/entities/bookmark.entity.js';
import { Branch } from '../database/entities/branch.entity.js';
import { Container } from '../database/entities/container.entity.js';
import { Host } from '../database/entities/host.entity.js';
import { JobRecord } from '../database/entities/job.entity.js';
import { Point } from '../database/entities/point.entity.js';
import { TemplateHost } from '../database/entities/template-host.entity.js';
import { TemplateVersion } from '../database/entities/template-version.entity.js';
import { Template } from '../database/entities/template.entity.js';
import { HostsModule } from '../hosts/hosts.module.js';
import { DestroyOrphansJob } from './jobs/destroy-orphans.job.js';
import { ReconciliationController } from './reconciliation.controller.js';
import { ReconciliationService } from './reconciliation.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      Container,
      Template,
      TemplateVersion,
      TemplateHost,
      Branch,
      Point,
      Bookmark,
      JobRecord,
      AuditEvent,
      Host,
    ]),
    HostsModule,
  ],
  controllers: [ReconciliationController],
  providers: [ReconciliationService, DestroyOrphansJob],
})
export class ReconciliationModule {}

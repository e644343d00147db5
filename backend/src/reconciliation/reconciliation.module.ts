import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Bookmark } from '../bookmarks/bookmark.entity.js';
import { Branch } from '../branches/branch.entity.js';
import { Point } from '../timeline/point.entity.js';
import { Container } from '../containers/container.entity.js';
import { HostsModule } from '../hosts/hosts.module.js';
import { JobRecord } from '../jobs/job.entity.js';
import { TemplateVersion } from '../templates/template-version.entity.js';
import { Template } from '../templates/template.entity.js';
import { ReconciliationController } from './reconciliation.controller.js';
import { ReconciliationService } from './reconciliation.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      Container,
      Template,
      TemplateVersion,
      Branch,
      Point,
      Bookmark,
      JobRecord,
    ]),
    HostsModule,
  ],
  controllers: [ReconciliationController],
  providers: [ReconciliationService],
})
export class ReconciliationModule {}

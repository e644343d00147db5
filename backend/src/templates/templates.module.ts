import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TemplateHost } from '../database/entities/template-host.entity.js';
import { TemplateSource } from '../database/entities/template-source.entity.js';
import { TemplateVersion } from '../database/entities/template-version.entity.js';
import { Template } from '../database/entities/template.entity.js';
import { HostsModule } from '../hosts/hosts.module.js';
import { IngestTemplateVersionJob } from './jobs/ingest-template-version.job.js';
import { TemplateHostsService } from './template-hosts.service.js';
import { TemplatesController } from './templates.controller.js';
import { TemplatesService } from './templates.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([Template, TemplateSource, TemplateVersion, TemplateHost]),
    HostsModule,
  ],
  controllers: [TemplatesController],
  providers: [TemplatesService, TemplateHostsService, IngestTemplateVersionJob],
  exports: [TemplatesService, TemplateHostsService],
})
export class TemplatesModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TemplateSource } from '../database/entities/template-source.entity.js';
import { TemplateVersion } from '../database/entities/template-version.entity.js';
import { Template } from '../database/entities/template.entity.js';
import { HostsModule } from '../hosts/hosts.module.js';
import { IngestTemplateVersionJob } from './jobs/ingest-template-version.job.js';
import { TemplatesController } from './templates.controller.js';
import { TemplatesService } from './templates.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Template, TemplateSource, TemplateVersion]), HostsModule],
  controllers: [TemplatesController],
  providers: [TemplatesService, IngestTemplateVersionJob],
  exports: [TemplatesService],
})
export class TemplatesModule {}

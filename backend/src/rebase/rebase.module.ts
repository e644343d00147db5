import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Branch } from '../database/entities/branch.entity.js';
import { Container } from '../database/entities/container.entity.js';
import { Rebase } from '../database/entities/rebase.entity.js';
import { TemplateSource } from '../database/entities/template-source.entity.js';
import { TemplateVersion } from '../database/entities/template-version.entity.js';
import { PreviewsModule } from '../previews/previews.module.js';
import { TimelineModule } from '../timeline/timeline.module.js';
import { RebaseBranchJob } from './jobs/rebase-branch.job.js';
import { RebasesController } from './rebases.controller.js';
import { RebaseService } from './rebase.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([Rebase, Branch, Container, TemplateVersion, TemplateSource]),
    PreviewsModule,
    TimelineModule,
  ],
  controllers: [RebasesController],
  providers: [RebaseService, RebaseBranchJob],
})
export class RebaseModule {}

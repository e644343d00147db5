import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Branch } from '../database/entities/branch.entity.js';
import { Container } from '../database/entities/container.entity.js';
import { Diff } from '../database/entities/diff.entity.js';
import { TemplateSource } from '../database/entities/template-source.entity.js';
import { PreviewsModule } from '../previews/previews.module.js';
import { TimelineModule } from '../timeline/timeline.module.js';
import { DiffsController } from './diffs.controller.js';
import { DiffsService } from './diffs.service.js';
import { ComputeDiffJob } from './jobs/compute-diff.job.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([Diff, Container, Branch, TemplateSource]),
    PreviewsModule,
    TimelineModule,
  ],
  controllers: [DiffsController],
  providers: [DiffsService, ComputeDiffJob],
  exports: [DiffsService],
})
export class DiffsModule {}

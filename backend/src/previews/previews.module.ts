import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Bookmark } from '../database/entities/bookmark.entity.js';
import { Container } from '../database/entities/container.entity.js';
import { Host } from '../database/entities/host.entity.js';
import { Point } from '../database/entities/point.entity.js';
import { Preview } from '../database/entities/preview.entity.js';
import { TemplateSource } from '../database/entities/template-source.entity.js';
import { CreatePreviewJob } from './jobs/create-preview.job.js';
import { PreviewSweep } from './preview-sweep.js';
import { PreviewsController } from './previews.controller.js';
import { PreviewsService } from './previews.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Preview, Point, Bookmark, Container, Host, TemplateSource])],
  controllers: [PreviewsController],
  providers: [PreviewsService, CreatePreviewJob, PreviewSweep],
  exports: [PreviewsService],
})
export class PreviewsModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Bookmark } from '../database/entities/bookmark.entity.js';
import { Branch } from '../database/entities/branch.entity.js';
import { Container } from '../database/entities/container.entity.js';
import { TimelineModule } from '../timeline/timeline.module.js';
import { UsersModule } from '../users/users.module.js';
import { BookmarksController } from './bookmarks.controller.js';
import { BookmarksService } from './bookmarks.service.js';
import { CreateBookmarkJob } from './jobs/create-bookmark.job.js';

@Module({
  imports: [TypeOrmModule.forFeature([Bookmark, Branch, Container]), TimelineModule, UsersModule],
  controllers: [BookmarksController],
  providers: [BookmarksService, CreateBookmarkJob],
  exports: [BookmarksService],
})
export class BookmarksModule {}

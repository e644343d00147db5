import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Branch } from '../branches/branch.entity.js';
import { BranchesModule } from '../branches/branches.module.js';
import { Container } from '../containers/container.entity.js';
import { TimelineModule } from '../timeline/timeline.module.js';
import { UsersModule } from '../users/users.module.js';
import { Bookmark } from './bookmark.entity.js';
import { BookmarksController } from './bookmarks.controller.js';
import { BookmarksService } from './bookmarks.service.js';
import { CreateBookmarkJob } from './jobs/create-bookmark.job.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([Bookmark, Branch, Container]),
    BranchesModule,
    TimelineModule,
    UsersModule,
  ],
  controllers: [BookmarksController],
  providers: [BookmarksService, CreateBookmarkJob],
  exports: [BookmarksService],
})
export class BookmarksModule {}

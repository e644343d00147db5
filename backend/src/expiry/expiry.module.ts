import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Bookmark } from '../bookmarks/bookmark.entity.js';
import { BookmarksModule } from '../bookmarks/bookmarks.module.js';
import { Branch } from '../branches/branch.entity.js';
import { BranchesModule } from '../branches/branches.module.js';
import { Container } from '../containers/container.entity.js';
import { ContainersModule } from '../containers/containers.module.js';
import { ExpiryQueue } from './expiry-queue.js';
import { ExpiryService } from './expiry.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([Container, Branch, Bookmark]),
    ContainersModule,
    BranchesModule,
    BookmarksModule,
  ],
  providers: [ExpiryService, ExpiryQueue],
})
export class ExpiryModule {}

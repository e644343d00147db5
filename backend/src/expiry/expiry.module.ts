import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BookmarksModule } from '../bookmarks/bookmarks.module.js';
import { BranchesModule } from '../branches/branches.module.js';
import { ContainersModule } from '../containers/containers.module.js';
import { Bookmark } from '../database/entities/bookmark.entity.js';
import { Branch } from '../database/entities/branch.entity.js';
import { Container } from '../database/entities/container.entity.js';
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

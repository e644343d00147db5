import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Bookmark } from '../bookmarks/bookmark.entity.js';
import { Branch } from '../branches/branch.entity.js';
import { Container } from '../containers/container.entity.js';
import { AccessService } from './access.service.js';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Container, Branch, Bookmark])],
  providers: [AccessService],
  exports: [AccessService],
})
export class AccessModule {}

import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Bookmark } from '../database/entities/bookmark.entity.js';
import { Branch } from '../database/entities/branch.entity.js';
import { Container } from '../database/entities/container.entity.js';
import { AccessService } from './access.service.js';
import { ContainerRecords } from './container-records.js';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Container, Branch, Bookmark])],
  providers: [AccessService, ContainerRecords],
  exports: [AccessService, ContainerRecords],
})
export class AccessModule {}

import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogChanges } from '../common/catalog-changes.js';
import { Bookmark } from '../database/entities/bookmark.entity.js';
import { Branch } from '../database/entities/branch.entity.js';
import { Container } from '../database/entities/container.entity.js';
import { Point } from '../database/entities/point.entity.js';
import { TemplateSource } from '../database/entities/template-source.entity.js';
import { TemplateVersion } from '../database/entities/template-version.entity.js';
import { Template } from '../database/entities/template.entity.js';
import { User } from '../database/entities/user.entity.js';
import { HostsModule } from '../hosts/hosts.module.js';
import { CatalogMirrorService } from './catalog-mirror.service.js';
import { RecoveryController } from './recovery.controller.js';
import { RecoveryService } from './recovery.service.js';

/** Global for CatalogChanges only: the features that change the catalog tell the mirror through it. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forFeature([
      Template,
      TemplateSource,
      TemplateVersion,
      Container,
      Branch,
      Point,
      Bookmark,
      User,
    ]),
    HostsModule,
  ],
  controllers: [RecoveryController],
  providers: [CatalogChanges, CatalogMirrorService, RecoveryService],
  exports: [CatalogChanges],
})
export class RecoveryModule {}

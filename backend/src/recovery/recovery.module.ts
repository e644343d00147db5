import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Bookmark } from '../bookmarks/bookmark.entity.js';
import { Branch } from '../branches/branch.entity.js';
import { Point } from '../timeline/point.entity.js';
import { CatalogChanges } from '../common/catalog-changes.js';
import { Container } from '../containers/container.entity.js';
import { HostsModule } from '../hosts/hosts.module.js';
import { TemplateSource } from '../templates/template-source.entity.js';
import { TemplateVersion } from '../templates/template-version.entity.js';
import { Template } from '../templates/template.entity.js';
import { User } from '../users/user.entity.js';
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

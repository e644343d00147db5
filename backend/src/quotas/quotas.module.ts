import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Bookmark } from '../database/entities/bookmark.entity.js';
import { Branch } from '../database/entities/branch.entity.js';
import { Container } from '../database/entities/container.entity.js';
import { JobRecord } from '../database/entities/job.entity.js';
import { Setting } from '../database/entities/setting.entity.js';
import { TemplateSource } from '../database/entities/template-source.entity.js';
import { UserQuota } from '../database/entities/user-quota.entity.js';
import { User } from '../database/entities/user.entity.js';
import { QuotasController } from './quotas.controller.js';
import { QuotasService } from './quotas.service.js';

/** Global: containers, branches, bookmarks and usage all check or show quotas. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forFeature([
      Setting,
      UserQuota,
      User,
      Container,
      Branch,
      Bookmark,
      TemplateSource,
      JobRecord,
    ]),
  ],
  controllers: [QuotasController],
  providers: [QuotasService],
  exports: [QuotasService],
})
export class QuotasModule {}

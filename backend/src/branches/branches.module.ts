import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Bookmark } from '../database/entities/bookmark.entity.js';
import { Branch } from '../database/entities/branch.entity.js';
import { Container } from '../database/entities/container.entity.js';
import { ReplicationModule } from '../replication/replication.module.js';
import { TimelineModule } from '../timeline/timeline.module.js';
import { BranchesController } from './branches.controller.js';
import { BranchesService } from './branches.service.js';
import { ActivateBranchJob } from './jobs/activate-branch.job.js';
import { CreateBranchJob } from './jobs/create-branch.job.js';
import { DeleteBranchJob } from './jobs/delete-branch.job.js';
import { ResetBranchJob } from './jobs/reset-branch.job.js';
import { RestoreBranchJob } from './jobs/restore-branch.job.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([Branch, Container, Bookmark]),
    TimelineModule,
    ReplicationModule,
  ],
  controllers: [BranchesController],
  providers: [
    BranchesService,
    CreateBranchJob,
    ActivateBranchJob,
    DeleteBranchJob,
    RestoreBranchJob,
    ResetBranchJob,
  ],
  exports: [BranchesService],
})
export class BranchesModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Branch } from '../database/entities/branch.entity.js';
import { Point } from '../database/entities/point.entity.js';
import { TimelineService } from './timeline.service.js';

/** Points and the steps that record them; every operation that moves a branch's data uses it. */
@Module({
  imports: [TypeOrmModule.forFeature([Point, Branch])],
  providers: [TimelineService],
  exports: [TimelineService],
})
export class TimelineModule {}

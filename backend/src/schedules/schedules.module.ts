import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessModule } from '../access/access.module.js';
import { Container } from '../database/entities/container.entity.js';
import { Schedule } from '../database/entities/schedule.entity.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { ScheduleSweep } from './schedule-sweep.js';
import { SchedulesController } from './schedules.controller.js';
import { SchedulesService } from './schedules.service.js';

/** Containers stopped and started on a schedule (issue 15 point 5, docs/api.md "Schedules"). */
@Module({
  imports: [TypeOrmModule.forFeature([Schedule, Container]), AccessModule, JobsModule],
  controllers: [SchedulesController],
  providers: [SchedulesService, ScheduleSweep],
})
export class SchedulesModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Host } from '../database/entities/host.entity.js';
import { HostsController } from './hosts.controller.js';
import { HostsService } from './hosts.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Host])],
  controllers: [HostsController],
  providers: [HostsService],
  exports: [HostsService],
})
export class HostsModule {}

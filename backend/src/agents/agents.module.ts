import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Host } from '../database/entities/host.entity.js';
import { Setting } from '../database/entities/setting.entity.js';
import { AgentsService } from './agents.service.js';
import { InstallationService } from './installation.service.js';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Host, Setting])],
  providers: [AgentsService, InstallationService],
  exports: [AgentsService, InstallationService],
})
export class AgentsModule {}

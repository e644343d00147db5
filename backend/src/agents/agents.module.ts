import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Host } from '../database/entities/host.entity.js';
import { AgentsService } from './agents.service.js';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Host])],
  providers: [AgentsService],
  exports: [AgentsService],
})
export class AgentsModule {}

import { Global, Module } from '@nestjs/common';
import { AgentsService } from './agents.service.js';

@Global()
@Module({ providers: [AgentsService], exports: [AgentsService] })
export class AgentsModule {}

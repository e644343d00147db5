import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module.js';
import { MetricsRegistry } from '../common/metrics.registry.js';
import { Branch } from '../database/entities/branch.entity.js';
import { Container } from '../database/entities/container.entity.js';
import { HostsModule } from '../hosts/hosts.module.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Container, Branch]), AuthModule, HostsModule],
  controllers: [MetricsController],
  providers: [MetricsRegistry, MetricsService],
  exports: [MetricsRegistry],
})
export class MetricsModule {}

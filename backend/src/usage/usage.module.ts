import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Container } from '../database/entities/container.entity.js';
import { Template } from '../database/entities/template.entity.js';
import { HostsModule } from '../hosts/hosts.module.js';
import { UsersModule } from '../users/users.module.js';
import { UsageController } from './usage.controller.js';
import { UsageService } from './usage.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Container, Template]), HostsModule, UsersModule],
  controllers: [UsageController],
  providers: [UsageService],
})
export class UsageModule {}

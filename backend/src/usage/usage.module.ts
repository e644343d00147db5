import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Container } from '../containers/container.entity.js';
import { HostsModule } from '../hosts/hosts.module.js';
import { Template } from '../templates/template.entity.js';
import { UsersModule } from '../users/users.module.js';
import { UsageController } from './usage.controller.js';
import { UsageService } from './usage.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Container, Template]), HostsModule, UsersModule],
  controllers: [UsageController],
  providers: [UsageService],
})
export class UsageModule {}

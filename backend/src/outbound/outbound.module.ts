import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboundRule } from '../database/entities/outbound-rule.entity.js';
import { OutboundController } from './outbound.controller.js';
import { OutboundService } from './outbound.service.js';

/** The fence around requests to user-given URLs, and the admins' allow list. */
@Module({
  imports: [TypeOrmModule.forFeature([OutboundRule])],
  controllers: [OutboundController],
  providers: [OutboundService],
  exports: [OutboundService],
})
export class OutboundModule {}

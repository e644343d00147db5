import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Setting } from '../database/entities/setting.entity.js';
import { ExpirySettingsService } from './expiry-settings.service.js';
import { SettingsController } from './settings.controller.js';

/** Global: containers, branches, bookmarks and the expiry sweep all apply the expiry policy. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Setting])],
  controllers: [SettingsController],
  providers: [ExpirySettingsService],
  exports: [ExpirySettingsService],
})
export class SettingsModule {}

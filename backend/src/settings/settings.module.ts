import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ExpirySettingsService } from './expiry-settings.service.js';
import { Setting } from './setting.entity.js';
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

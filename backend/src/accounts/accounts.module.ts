import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ContainersModule } from '../containers/containers.module.js';
import { UsersModule } from '../users/users.module.js';
import { AccountsController } from './accounts.controller.js';
import { AccountsService } from './accounts.service.js';

@Module({
  imports: [UsersModule, AuthModule, ContainersModule],
  controllers: [AccountsController],
  providers: [AccountsService],
})
export class AccountsModule {}

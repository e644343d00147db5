import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiToken } from '../database/entities/api-token.entity.js';
import { Session } from '../database/entities/session.entity.js';
import { UsersModule } from '../users/users.module.js';
import { ApiTokensService } from './api-tokens.service.js';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { SessionsService } from './sessions.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([ApiToken, Session]), UsersModule],
  controllers: [AuthController],
  providers: [AuthService, AuthGuard, SessionsService, ApiTokensService],
  exports: [AuthService, AuthGuard, SessionsService, ApiTokensService],
})
export class AuthModule {}

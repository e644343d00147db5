import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module.js';
import { User } from '../database/entities/user.entity.js';
import { UsersModule } from '../users/users.module.js';
import { SsoAccountsService } from './sso-accounts.service.js';
import { SsoController } from './sso.controller.js';
import { SsoService } from './sso.service.js';

/** Single sign-on with an OpenID Connect provider (off unless BP_OIDC_ISSUER is set). */
@Module({
  imports: [TypeOrmModule.forFeature([User]), AuthModule, UsersModule],
  controllers: [SsoController],
  providers: [SsoService, SsoAccountsService],
})
export class SsoModule {}

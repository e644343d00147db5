import { Module, ValidationPipe, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ServeStaticModule } from '@nestjs/serve-static';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { AccessModule } from './access/access.module.js';
import { AccountsModule } from './accounts/accounts.module.js';
import { AgentsModule } from './agents/agents.module.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthGuard } from './auth/auth.guard.js';
import { AuthModule } from './auth/auth.module.js';
import { BookmarksModule } from './bookmarks/bookmarks.module.js';
import { BranchesModule } from './branches/branches.module.js';
import { CliDownloadModule } from './cli-download/cli-download.module.js';
import { HttpExceptionFilter } from './common/http-exception.filter.js';
import { SecretBox } from './common/secret-box.js';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { ContainersModule } from './containers/containers.module.js';
import { dataSourceOptions, openDataSource } from './database/data-source.js';
import { EventsModule } from './events/events.module.js';
import { ExpiryModule } from './expiry/expiry.module.js';
import { enableFaultInjection } from './common/fault-point.js';
import { FaultController } from './faults/fault.controller.js';
import { HealthController } from './health/health.controller.js';
import { HostsModule } from './hosts/hosts.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { ReconciliationModule } from './reconciliation/reconciliation.module.js';
import { DiffsModule } from './diffs/diffs.module.js';
import { RebaseModule } from './rebase/rebase.module.js';
import { PreviewsModule } from './previews/previews.module.js';
import { PullRequestsModule } from './pull-requests/pull-requests.module.js';
import { QuotasModule } from './quotas/quotas.module.js';
import { RecoveryModule } from './recovery/recovery.module.js';
import { MovesModule } from './moves/moves.module.js';
import { ReplicationModule } from './replication/replication.module.js';
import { SchedulesModule } from './schedules/schedules.module.js';
import { SettingsModule } from './settings/settings.module.js';
import { SsoModule } from './sso/sso.module.js';
import { TemplatesModule } from './templates/templates.module.js';
import { UsageModule } from './usage/usage.module.js';
import { UsersModule } from './users/users.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';

export const API_PREFIX = 'api/v1';

@Module({})
export class AppModule {
  static register(config: AppConfig): DynamicModule {
    if (config.faultInjection) enableFaultInjection();
    return {
      module: AppModule,
      imports: [
        ConfigModule.forConfig(config),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            redact: ['req.headers.authorization', 'req.headers.cookie'],
            autoLogging: { ignore: (req) => req.url === `/${API_PREFIX}/health` },
          },
        }),
        TypeOrmModule.forRootAsync({
          useFactory: () => dataSourceOptions(config.databaseUrl, new SecretBox(config.secretKeys)),
          dataSourceFactory: (options) => openDataSource(options!),
        }),
        ...(config.uiDir
          ? [
              ServeStaticModule.forRoot({
                rootPath: config.uiDir,
                exclude: ['/api/{*path}', '/socket.io/{*path}'],
              }),
            ]
          : []),
        AuditModule,
        AgentsModule,
        AccessModule,
        UsersModule,
        AuthModule,
        AccountsModule,
        EventsModule,
        MetricsModule,
        JobsModule,
        HostsModule,
        TemplatesModule,
        ReplicationModule,
        MovesModule,
        ContainersModule,
        BranchesModule,
        BookmarksModule,
        PreviewsModule,
        DiffsModule,
        RebaseModule,
        UsageModule,
        ReconciliationModule,
        RecoveryModule,
        ExpiryModule,
        WebhooksModule,
        SettingsModule,
        QuotasModule,
        SsoModule,
        CliDownloadModule,
        SchedulesModule,
        PullRequestsModule,
      ],
      controllers: [HealthController, ...(config.faultInjection ? [FaultController] : [])],
      providers: [
        {
          provide: APP_PIPE,
          useValue: new ValidationPipe({
            whitelist: true,
            forbidNonWhitelisted: true,
            transform: true,
          }),
        },
        { provide: APP_GUARD, useExisting: AuthGuard },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
      ],
    };
  }
}

import { ApiToken } from './entities/api-token.entity.js';
import { AuditEvent } from './entities/audit-event.entity.js';
import { Bookmark } from './entities/bookmark.entity.js';
import { Branch } from './entities/branch.entity.js';
import { Container } from './entities/container.entity.js';
import { Diff } from './entities/diff.entity.js';
import { Rebase } from './entities/rebase.entity.js';
import { Host } from './entities/host.entity.js';
import { JobRecord } from './entities/job.entity.js';
import { OutboundRule } from './entities/outbound-rule.entity.js';
import { Point } from './entities/point.entity.js';
import { Preview } from './entities/preview.entity.js';
import { PullRequestConfig } from './entities/pull-request-config.entity.js';
import { PullRequestDatabase } from './entities/pull-request-database.entity.js';
import { PullRequestEvent } from './entities/pull-request-event.entity.js';
import { Schedule } from './entities/schedule.entity.js';
import { Session } from './entities/session.entity.js';
import { Setting } from './entities/setting.entity.js';
import { TemplateHost } from './entities/template-host.entity.js';
import { TemplateSource } from './entities/template-source.entity.js';
import { TemplateVersion } from './entities/template-version.entity.js';
import { Template } from './entities/template.entity.js';
import { UserQuota } from './entities/user-quota.entity.js';
import { User } from './entities/user.entity.js';
import { WebhookDelivery } from './entities/webhook-delivery.entity.js';
import { Webhook } from './entities/webhook.entity.js';

/** Every entity, listed explicitly (ESM: no globs). */
export const ENTITIES = [
  User,
  Session,
  ApiToken,
  Host,
  Template,
  TemplateSource,
  TemplateVersion,
  TemplateHost,
  Container,
  Branch,
  Point,
  Bookmark,
  JobRecord,
  AuditEvent,
  Webhook,
  WebhookDelivery,
  Setting,
  UserQuota,
  OutboundRule,
  Preview,
  Diff,
  Rebase,
  Schedule,
  PullRequestConfig,
  PullRequestEvent,
  PullRequestDatabase,
];

import { AuditEvent } from '../audit/audit-event.entity.js';
import { ApiToken } from '../auth/api-token.entity.js';
import { Bookmark } from '../bookmarks/bookmark.entity.js';
import { Branch } from '../branches/branch.entity.js';
import { Point } from '../timeline/point.entity.js';
import { Container } from '../containers/container.entity.js';
import { Host } from '../hosts/host.entity.js';
import { JobRecord } from '../jobs/job.entity.js';
import { Setting } from '../settings/setting.entity.js';
import { TemplateSource } from '../templates/template-source.entity.js';
import { TemplateVersion } from '../templates/template-version.entity.js';
import { Template } from '../templates/template.entity.js';
import { User } from '../users/user.entity.js';
import { WebhookDelivery } from '../webhooks/webhook-delivery.entity.js';
import { Webhook } from '../webhooks/webhook.entity.js';

/** Every entity, listed explicitly (ESM: no globs). */
export const ENTITIES = [
  User,
  ApiToken,
  Host,
  Template,
  TemplateSource,
  TemplateVersion,
  Container,
  Branch,
  Point,
  Bookmark,
  JobRecord,
  AuditEvent,
  Webhook,
  WebhookDelivery,
  Setting,
];

import { InitialSchema1763888400000 } from './1763888400000-initial-schema.js';
import { Expiry1763899200000 } from './1763899200000-expiry.js';
import { TemplateHooks1763913600000 } from './1763913600000-template-hooks.js';
import { Webhooks1763928000000 } from './1763928000000-webhooks.js';
import { IdleStop1763935200000 } from './1763935200000-idle-stop.js';
import { ExpiryPolicy1763942400000 } from './1763942400000-expiry-policy.js';
import { JobLog1763946000000 } from './1763946000000-job-log.js';
import { RefreshWithoutStaging1763953200000 } from './1763953200000-refresh-without-staging.js';
import { VersionOfData1763960400000 } from './1763960400000-version-of-data.js';
import { AgentCertificate1763971200000 } from './1763971200000-agent-certificate.js';
import { TemplateOwnerOptions1763985600000 } from './1763985600000-template-owner-options.js';
import { JobAttempts1764000000000 } from './1764000000000-job-attempts.js';
import { Accounts1764100000000 } from './1764100000000-accounts.js';
import { Installation1764200000000 } from './1764200000000-installation.js';
import { OutboundFence1764300000000 } from './1764300000000-outbound-fence.js';
import { SealStoredSecrets1764400000000 } from './1764400000000-seal-stored-secrets.js';
import { Quotas1764500000000 } from './1764500000000-quotas.js';
import { SingleSignOn1764600000000 } from './1764600000000-single-sign-on.js';
import { TemplateHosts1764710000000 } from './1764710000000-template-hosts.js';
import { Previews1764800000000 } from './1764800000000-previews.js';
import { Diffs1764810000000 } from './1764810000000-diffs.js';
import { PageIndexes1764900000000 } from './1764900000000-page-indexes.js';
import { Schedules1764920000000 } from './1764920000000-schedules.js';
import { PullRequestDatabases1764950000417 } from './1764950000417-pull-request-databases.js';
import { BookmarkSearch1764996271217 } from './1764996271217-bookmark-search.js';
import { HostDraining1765000000000 } from './1765000000000-host-draining.js';
import { TemplatePlacement1764910000000 } from './1764910000000-template-placement.js';
import { Rebases1764990000823 } from './1764990000823-rebases.js';

/** Every migration in order, imported explicitly (ESM: no globs). */
export const MIGRATIONS = [
  InitialSchema1763888400000,
  Expiry1763899200000,
  TemplateHooks1763913600000,
  Webhooks1763928000000,
  IdleStop1763935200000,
  ExpiryPolicy1763942400000,
  JobLog1763946000000,
  RefreshWithoutStaging1763953200000,
  VersionOfData1763960400000,
  AgentCertificate1763971200000,
  TemplateOwnerOptions1763985600000,
  JobAttempts1764000000000,
  Accounts1764100000000,
  Installation1764200000000,
  OutboundFence1764300000000,
  SealStoredSecrets1764400000000,
  Quotas1764500000000,
  SingleSignOn1764600000000,
  TemplateHosts1764710000000,
  Previews1764800000000,
  Diffs1764810000000,
  PageIndexes1764900000000,
  TemplatePlacement1764910000000,
  Schedules1764920000000,
  PullRequestDatabases1764950000417,
  Rebases1764990000823,
  BookmarkSearch1764996271217,
  HostDraining1765000000000,
];

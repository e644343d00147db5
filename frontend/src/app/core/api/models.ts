/**
 * The control plane's resource shapes, as generated from `docs/openapi.json` into
 * `@branchpoint/api-client` (`npm run generate -w @branchpoint/api-client`), under the names
 * the UI uses.
 */
import type { ApiComponents } from '@branchpoint/api-client';

type Schemas = ApiComponents['schemas'];

export type User = Schemas['UserDto'];
export type Role = User['role'];
export type UserRef = Schemas['UserRefDto'];

export type Host = Schemas['HostDto'];
export type HostCapacity = Schemas['HostCapacityDto'];

export type Template = Schemas['TemplateDto'];
export type TemplateDetail = Schemas['TemplateDetailDto'];
export type TemplateVersion = Schemas['TemplateVersionDto'];
export type TemplateSourceInput = Schemas['TemplateSourceInputDto'];

export type Endpoint = Schemas['EndpointDto'];
export type Placement = Schemas['PlacementDto'];
export type ContainerHost = Schemas['ContainerHostDto'];
export type DrainResult = Schemas['DrainResultDto'];
export type Branch = Schemas['BranchDto'];
export type TimelinePoint = Schemas['PointDto'];
export type PointType = TimelinePoint['type'];

export type ServerSettings = Schemas['ServerSettingsDto'];

export type ReconciliationReport = Schemas['ReconciliationReportDto'];
export type Divergence = Schemas['DivergenceDto'];
export type Orphan = Schemas['OrphanDto'];

/** A container as listed; `GET /containers/:id` adds its branches. */
export type Container = Schemas['ContainerDto'] & { branches?: Branch[] };

export type Bookmark = Schemas['BookmarkDto'];
export type Visibility = Bookmark['visibility'];

export type Job = Schemas['JobDto'];
export type JobState = Job['state'];
/** Answer of every asynchronous operation: the job, and the id of what it creates. */
export type Accepted = Schemas['AcceptedJobDto'];

// Request bodies.
export type CreateUser = Schemas['CreateUserDto'];
export type DeletedUser = Schemas['DeletedUserDto'];
export type CreateHost = Schemas['CreateHostDto'];
export type UpdateHost = Schemas['UpdateHostDto'];
export type CreateTemplate = Schemas['CreateTemplateDto'];
export type CreateContainer = Schemas['CreateContainerDto'];
export type CreateBranch = Schemas['CreateBranchDto'];
export type BookmarkFields = Schemas['CreateBookmarkDto'];

export type Usage = Schemas['UsageDto'];
export type UsageEntry = Schemas['UsageEntryDto'];

export type Webhook = Schemas['WebhookDto'];
/** A webhook as created: the only answer that carries its signing secret. */
export type CreatedWebhook = Schemas['CreatedWebhookDto'];
export type CreateWebhook = Schemas['CreateWebhookDto'];
export type WebhookDelivery = Schemas['WebhookDeliveryDto'];
export type NotificationEvent = Webhook['events'][number];

export type TemplateHooks = Schemas['TemplateHooksDto'];
export type UpdateTemplate = Schemas['UpdateTemplateDto'];

export type ExpirySettings = Schemas['ExpirySettingsDto'];
export type ExpiryRule = Schemas['ExpiryRuleDto'];
/** The expiry fields of a PATCH of a container, branch or bookmark (all three take the same). */
export type ExpiryChange = Schemas['UpdateBranchDto'];

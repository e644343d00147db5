// Names for the API shapes the commands use, from the schema generated into @branchpoint/api-client.
import type { ApiComponents } from '@branchpoint/api-client';

type Schemas = ApiComponents['schemas'];

export type Accepted = Schemas['AcceptedJobDto'];
export type Job = Schemas['JobDto'];
export type SessionTokens = Schemas['SessionTokensDto'];
export type CreatedApiToken = Schemas['CreatedApiTokenDto'];
export type User = Schemas['UserDto'];
export type Template = Schemas['TemplateDto'];
export type Container = Schemas['ContainerDto'];
export type ContainerDetail = Schemas['ContainerDetailDto'];
export type Endpoint = Schemas['EndpointDto'];
export type Branch = Schemas['BranchDto'];
export type Point = Schemas['PointDto'];
export type Bookmark = Schemas['BookmarkDto'];
export type CreateContainer = Schemas['CreateContainerDto'];
export type CreateBranch = Schemas['CreateBranchDto'];
export type CreateBookmark = Schemas['CreateBookmarkDto'];
export type RestoreBranch = Schemas['RestoreBranchDto'];
export type ShareBookmark = Schemas['ShareBookmarkDto'];
export type ServerSettings = Schemas['ServerSettingsDto'];
export type ReconciliationReport = Schemas['ReconciliationReportDto'];
export type Divergence = Schemas['DivergenceDto'];
export type Orphan = Schemas['OrphanDto'];
export type RecoveryResult = Schemas['RecoveryResultDto'];
export type DrainResult = Schemas['DrainResultDto'];
export type Host = Schemas['HostDto'];
/** A host a template's containers may be on (placement). */
export type PlacementHost = Schemas['ContainerHostDto'];
/** How a container, branch or bookmark stands towards expiry. */
export type Expiry = Pick<Container, 'expiresAt' | 'protected' | 'expiryBlockedReason'>;

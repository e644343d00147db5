import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { OUTBOUND_OUTCOMES, type OutboundOutcome } from '../../common/outbound-address.js';
import {
  FORGES,
  PULL_REQUEST_TARGETS,
  type Forge,
  type PullRequestTarget,
} from '../../database/entities/pull-request-config.entity.js';
import type {
  PullRequestAction,
  PullRequestEventState,
} from '../../database/entities/pull-request-event.entity.js';
import { IsDuration } from '../../settings/dto/expiry.dto.js';
import { IsHttpUrl } from '../../webhooks/dto/webhook.dto.js';

/** GitHub `owner/name`; GitLab `group[/subgroup…]/project`. */
const REPOSITORY = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)+$/;

/** The fields a PATCH may change: all but the forge and the template. */
export class UpdatePullRequestConfigDto {
  @ApiPropertyOptional({
    example: 'acme/shop',
    description: 'GitHub `owner/name`, or a GitLab project path `group/sub/project`',
  })
  @IsOptional()
  @Matches(REPOSITORY, { message: 'repository must be owner/name (GitLab: group/…/project)' })
  @MaxLength(256)
  repository?: string;

  @ApiPropertyOptional({
    example: 'https://api.github.com',
    description:
      'The forge API base: https://api.github.com (default for github), https://gitlab.com/api/v4 (default for gitlab), or a self-hosted one (https://ghe.example.com/api/v3, https://gitlab.example.com/api/v4); passes the outbound fence',
  })
  @IsOptional()
  @IsHttpUrl()
  @MaxLength(2048)
  apiUrl?: string;

  @ApiPropertyOptional({
    description:
      'The token comments are posted with (GitHub: issues write; GitLab: api scope). Stored encrypted, never returned',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  apiToken?: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'needs-db',
    description: 'Only pull requests with this label get a database; null: every one',
  })
  @IsOptional()
  @ValidateIf((_dto, value) => value !== null)
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  label?: string | null;

  @ApiPropertyOptional({
    description: 'The bookmark (of this template, visible to you) each database starts from',
  })
  @IsOptional()
  @IsUUID('all', { message: 'bookmarkId must be a UUID' })
  bookmarkId?: string;

  @ApiPropertyOptional({
    enum: PULL_REQUEST_TARGETS,
    description:
      '`container`: a container per pull request; `branch`: a branch of `containerId` per pull request',
  })
  @IsOptional()
  @IsIn(PULL_REQUEST_TARGETS, {
    message: `target must be one of ${PULL_REQUEST_TARGETS.join(', ')}`,
  })
  target?: PullRequestTarget;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description:
      'target `branch`: the container (yours, of this template) the branches are made in',
  })
  @IsOptional()
  @ValidateIf((_dto, value) => value !== null)
  @IsUUID('all', { message: 'containerId must be a UUID' })
  containerId?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '7d',
    description: "Each database's expiry from its creation; null: the admins' default",
  })
  @IsOptional()
  @ValidateIf((_dto, value) => value !== null)
  @IsDuration()
  expiresIn?: string | null;

  @ApiPropertyOptional({
    description: 'New commits on a pull request put its database back to the bookmark',
  })
  @IsOptional()
  @IsBoolean()
  resetOnPush?: boolean;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'https://hooks.slack.com/services/T000/B000/XXXX',
    description:
      'A Slack incoming-webhook URL each step is posted to; stored encrypted, never returned; null: none',
  })
  @IsOptional()
  @ValidateIf((_dto, value) => value !== null)
  @IsHttpUrl()
  @MaxLength(2048)
  slackUrl?: string | null;
}

export class CreatePullRequestConfigDto extends UpdatePullRequestConfigDto {
  @ApiProperty({ enum: FORGES })
  @IsIn(FORGES, { message: `forge must be one of ${FORGES.join(', ')}` })
  forge!: Forge;

  @ApiProperty({ example: 'acme/shop' })
  @Matches(REPOSITORY, { message: 'repository must be owner/name (GitLab: group/…/project)' })
  @MaxLength(256)
  declare repository: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  declare apiToken: string;

  @ApiProperty()
  @IsUUID('all', { message: 'bookmarkId must be a UUID' })
  declare bookmarkId: string;
}

export class PullRequestConfigDto {
  @ApiProperty() id!: string;
  @ApiProperty() templateId!: string;
  @ApiProperty({ enum: FORGES }) forge!: Forge;
  @ApiProperty() repository!: string;
  @ApiProperty() apiUrl!: string;
  @ApiProperty({ type: String, nullable: true }) label!: string | null;
  @ApiProperty() bookmarkId!: string;
  @ApiProperty({ enum: PULL_REQUEST_TARGETS }) target!: PullRequestTarget;
  @ApiProperty({ type: String, nullable: true }) containerId!: string | null;
  @ApiProperty({ type: String, nullable: true }) expiresIn!: string | null;
  @ApiProperty() resetOnPush!: boolean;
  @ApiProperty({ description: 'Whether a Slack URL is set (the URL itself is never returned)' })
  slack!: boolean;
  @ApiProperty({
    description: 'Where the forge sends its webhooks (POST)',
    example: 'https://branchpoint.example.com/api/v1/forge/github/…',
  })
  inboundUrl!: string;
  @ApiProperty({ description: 'The user the databases are made and owned as' })
  createdById!: string;
  @ApiProperty() createdAt!: Date;
}

export class CreatedPullRequestConfigDto extends PullRequestConfigDto {
  @ApiProperty({
    description:
      "The inbound webhook's secret: shown only here (GitHub: Secret; GitLab: Secret token)",
  })
  webhookSecret!: string;
}

export class PullRequestEventDto {
  @ApiProperty() id!: string;
  @ApiProperty({ description: "The forge's delivery id" }) deliveryId!: string;
  @ApiProperty({ type: Number, nullable: true }) number!: number | null;
  @ApiProperty({ type: String, nullable: true, enum: ['open', 'label', 'push', 'close'] })
  action!: PullRequestAction | null;
  @ApiProperty({ enum: ['pending', 'succeeded', 'failed', 'ignored'] })
  state!: PullRequestEventState;
  @ApiProperty({ type: String, nullable: true, description: 'What was done, or why not' }) detail!:
    string | null;
  @ApiProperty({ type: String, nullable: true, enum: OUTBOUND_OUTCOMES })
  commentOutcome!: OutboundOutcome | null;
  @ApiProperty({ type: String, nullable: true, enum: OUTBOUND_OUTCOMES })
  slackOutcome!: OutboundOutcome | null;
  @ApiProperty() createdAt!: Date;
  @ApiProperty({ type: Date, nullable: true }) finishedAt!: Date | null;
}

/** The inbound webhook's answer: 202 whether it is handled, a repeat, or ignored. */
export class ForgeWebhookAnswerDto {
  @ApiProperty({ enum: ['accepted', 'duplicate', 'ignored'] }) status!:
    'accepted' | 'duplicate' | 'ignored';
  @ApiProperty() eventId!: string;
  @ApiPropertyOptional({ description: 'Why it is ignored' }) reason?: string;
}

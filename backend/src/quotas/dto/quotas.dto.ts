import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min, ValidateIf } from 'class-validator';
import type { QuotaKind, QuotaLimits } from '../quota-limits.js';

const notNull = (_dto: object, value: unknown) => value !== null;
const MAX_LIMIT = 1_000_000;

/** A whole number from 0, or null. */
const Limit = (description: string): PropertyDecorator =>
  applyDecorators(
    ApiProperty({ type: 'integer', nullable: true, minimum: 0, maximum: MAX_LIMIT, description }),
    ValidateIf(notNull),
    IsInt(),
    Min(0),
    Max(MAX_LIMIT),
  );

/** A limit per kind; null: none (as a default) or the default applies (as a user's override). */
export class QuotaLimitsDto implements QuotaLimits {
  @Limit('Containers the user owns (co-owned ones too)')
  containers!: number | null;

  @Limit(
    "Database servers running for the user's containers: one per source of each running container; creating or starting a container needs room for its servers",
  )
  runningServers!: number | null;

  @Limit('Branches in one container, its default branch included')
  branchesPerContainer!: number | null;

  @Limit('Bookmarks the user made')
  bookmarks!: number | null;
}

export class UserQuotasDto {
  @ApiProperty({
    type: QuotaLimitsDto,
    description: 'The default for everyone (GET /settings/quotas)',
  })
  defaults!: QuotaLimitsDto;

  @ApiProperty({
    type: QuotaLimitsDto,
    description: "This user's overrides; null follows the default",
  })
  overrides!: QuotaLimitsDto;

  @ApiProperty({ type: QuotaLimitsDto, description: 'What applies to the user; null: no limit' })
  effective!: QuotaLimitsDto;
}

/** One quota as the usage page shows it. */
export class QuotaUseDto {
  @ApiProperty({ enum: ['containers', 'runningServers', 'branchesPerContainer', 'bookmarks'] })
  kind!: QuotaKind;

  @ApiProperty({ description: 'In use now (for branches: the most in one of the containers)' })
  used!: number;

  @ApiProperty({ type: 'integer', nullable: true, description: 'The limit; null: none' })
  limit!: number | null;
}

import { DURATION_EXAMPLES, isDuration } from '@branchpoint/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  buildMessage,
  IsBoolean,
  IsDateString,
  IsOptional,
  ValidateBy,
  ValidateIf,
  type ValidationOptions,
} from 'class-validator';

/** A duration such as `7d` (the parser shared with the CLI). */
export function IsDuration(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDuration',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isDuration(value),
        defaultMessage: buildMessage(
          (each) => `${each}$property must be a duration such as ${DURATION_EXAMPLES}`,
          options,
        ),
      },
    },
    options,
  );
}

/** Expiry fields of a create: a time or a duration from now; without either the admins' default applies. */
export class CreateExpiryDto {
  @ApiPropertyOptional({
    example: '2030-01-01T00:00:00Z',
    description:
      "Deleted automatically after this time (owners are warned before). Without it and expiresIn, the admins' default applies (GET /settings/expiry)",
  })
  @IsOptional()
  @IsDateString({}, { message: 'expiresAt must be an ISO 8601 date-time' })
  expiresAt?: string;

  @ApiPropertyOptional({
    example: '7d',
    description: `The expiry as a duration from now, e.g. ${DURATION_EXAMPLES}; not with expiresAt`,
  })
  @IsOptional()
  @IsDuration()
  expiresIn?: string;
}

/** Expiry fields of a PATCH: extend with `expiresIn`, clear with `expiresAt: null`, or protect. */
export class UpdateExpiryDto {
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '2030-01-01T00:00:00Z',
    description: 'A new expiry; null keeps it for good (refused for non-admins under a maximum)',
  })
  @ValidateIf((_dto, value) => value !== null)
  @IsOptional()
  @IsDateString({}, { message: 'expiresAt must be an ISO 8601 date-time or null' })
  expiresAt?: string | null;

  @ApiPropertyOptional({
    example: '7d',
    description: `Extend (or shorten) in one call: the new expiry is this long from now, e.g. ${DURATION_EXAMPLES}; not with expiresAt`,
  })
  @IsOptional()
  @IsDuration()
  expiresIn?: string;

  @ApiPropertyOptional({
    description:
      'Protected objects never expire (true clears expiresAt); false with no new expiry gets the default. Only admins may protect while a maximum is set',
  })
  @IsOptional()
  @IsBoolean()
  protected?: boolean;
}

/** How an object stands towards expiry, in every response. */
export class ExpiryStateDto {
  @ApiProperty({ type: Date, nullable: true }) expiresAt!: Date | null;
  @ApiProperty({ description: 'Never warned about nor expired' }) protected!: boolean;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'Why the expiry sweep keeps it although it expired (something depends on it, it is active, locked...); cleared by a new expiry or protection',
  })
  expiryBlockedReason!: string | null;
}

/** The response fields of `ExpiryStateDto` from an entity. */
export function expiryStateOf(entity: ExpiryStateDto): ExpiryStateDto {
  return {
    expiresAt: entity.expiresAt,
    protected: entity.protected,
    expiryBlockedReason: entity.expiryBlockedReason,
  };
}

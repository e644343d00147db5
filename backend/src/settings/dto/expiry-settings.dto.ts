import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, ValidateIf, ValidateNested } from 'class-validator';
import type { ExpiryPolicy, ExpiryRule } from '../expiry-policy.js';
import { IsDuration } from './expiry.dto.js';

const notNull = (_dto: object, value: unknown) => value !== null;

export class ExpiryRuleDto implements ExpiryRule {
  @ApiProperty({
    type: String,
    nullable: true,
    example: '7d',
    description: 'The expiry of a new object created without one; null: none',
  })
  @ValidateIf(notNull)
  @IsDuration()
  default!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '30d',
    description:
      'The longest expiry non-admins may give (nor may they clear it or protect); null: no maximum',
  })
  @ValidateIf(notNull)
  @IsDuration()
  max!: string | null;
}

/** The expiry policy; durations such as `30m`, `2h`, `7d`, `2w`. */
export class ExpirySettingsDto implements ExpiryPolicy {
  @ApiProperty({ type: ExpiryRuleDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => ExpiryRuleDto)
  container!: ExpiryRuleDto;

  @ApiProperty({ type: ExpiryRuleDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => ExpiryRuleDto)
  branch!: ExpiryRuleDto;

  @ApiProperty({ type: ExpiryRuleDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => ExpiryRuleDto)
  bookmark!: ExpiryRuleDto;

  @ApiProperty({ example: '1d', description: 'How long before expiry owners are warned' })
  @IsDuration()
  warningLead!: string;
}

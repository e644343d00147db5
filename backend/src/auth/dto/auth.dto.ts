import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { MAX_PASSWORD_LENGTH } from '../../common/password-policy.js';

export class LoginDto {
  @ApiProperty({ example: 'admin' }) @IsString() @MinLength(1) @MaxLength(64) username!: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(MAX_PASSWORD_LENGTH) password!: string;
}

/** What signing in (or refreshing) gives: a short access token and the refresh token that renews it. */
export class SessionTokensDto {
  @ApiProperty({ description: 'Bearer token for the API and the socket' }) accessToken!: string;
  @ApiProperty({ description: 'Seconds until the access token expires' }) expiresIn!: number;
  @ApiProperty({
    description:
      'Renews the access token once (POST /auth/refresh answers a new one); keep it secret',
  })
  refreshToken!: string;
  @ApiProperty({ description: 'The session ends unless refreshed before this' })
  refreshExpiresAt!: Date;
}

export class RefreshDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(128) refreshToken!: string;
}

export class ChangePasswordDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(MAX_PASSWORD_LENGTH) currentPassword!: string;
  @ApiProperty({ minLength: 12, description: 'At least 12 characters, not a common password' })
  @IsString()
  @MaxLength(MAX_PASSWORD_LENGTH)
  newPassword!: string;
}

export const API_TOKEN_DAYS = { default: 90, max: 365 };

export class CreateApiTokenDto {
  @ApiProperty({ example: 'ci-pipeline' })
  @IsString()
  @Matches(/^\S.{0,127}$/, { message: 'name must be 1-128 characters and not start with a space' })
  name!: string;

  @ApiPropertyOptional({
    description: `Days until the token expires (default ${API_TOKEN_DAYS.default})`,
    minimum: 1,
    maximum: API_TOKEN_DAYS.max,
  })
  @IsOptional()
  @IsInt({ message: 'expiresInDays must be a whole number of days' })
  @Min(1, { message: 'expiresInDays must be at least 1' })
  @Max(API_TOKEN_DAYS.max, { message: `expiresInDays must be at most ${API_TOKEN_DAYS.max}` })
  expiresInDays?: number;
}

export class ApiTokenDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() createdAt!: Date;
  @ApiProperty({ type: Date, nullable: true }) lastUsedAt!: Date | null;
  @ApiProperty() expiresAt!: Date;
}

export class CreatedApiTokenDto extends ApiTokenDto {
  @ApiProperty({ description: 'The token itself; shown only in this answer' }) token!: string;
}

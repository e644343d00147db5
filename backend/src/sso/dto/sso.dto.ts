import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class SsoStatusDto {
  @ApiProperty({ description: 'Whether the sign-in page offers single sign-on' })
  enabled!: boolean;

  @ApiPropertyOptional({ description: "The provider's name for the sign-in button" })
  name?: string;
}

export class SsoStartQueryDto {
  @ApiPropertyOptional({
    description: 'A path of the UI to return to after signing in, e.g. /containers/…',
    example: '/containers',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  // A path on this site only: "//host" or "/\host" would leave it.
  @Matches(/^\/(?![/\\])/, { message: 'returnUrl must be a path starting with one "/"' })
  returnUrl?: string;
}

export class SsoExchangeDto {
  @ApiProperty({ description: 'The one-time code the callback gave the UI (in its URL fragment)' })
  @IsString()
  @MaxLength(200)
  code!: string;
}

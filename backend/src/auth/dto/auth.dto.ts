import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'admin' }) @IsString() @MinLength(1) @MaxLength(64) username!: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(256) password!: string;
}

export class LoginResponseDto {
  @ApiProperty({ description: 'Bearer token for the API and the socket' }) accessToken!: string;
  @ApiProperty({ description: 'Seconds until the token expires' }) expiresIn!: number;
}

export class CreateApiTokenDto {
  @ApiProperty({ example: 'ci-pipeline' })
  @IsString()
  @Matches(/^\S.{0,127}$/, { message: 'name must be 1-128 characters and not start with a space' })
  name!: string;
}

export class ApiTokenDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() createdAt!: Date;
  @ApiProperty({ type: Date, nullable: true }) lastUsedAt!: Date | null;
}

export class CreatedApiTokenDto extends ApiTokenDto {
  @ApiProperty({ description: 'The token itself; shown only in this answer' }) token!: string;
}

import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength } from 'class-validator';
import type { Role } from '../../common/current-user.js';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../common/password-policy.js';

export class CreateUserDto {
  @ApiProperty({ example: 'alice', pattern: '^[a-z0-9][a-z0-9._-]{1,63}$' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9._-]{1,63}$/, {
    message: 'username must be 2-64 lowercase letters, digits, ".", "_" or "-"',
  })
  username!: string;

  @ApiProperty({
    minLength: MIN_PASSWORD_LENGTH,
    description:
      'At least 12 characters, not a commonly used password, not containing the username',
  })
  @IsString()
  @MaxLength(MAX_PASSWORD_LENGTH)
  password!: string;

  @ApiProperty({ enum: ['admin', 'user'] })
  @IsIn(['admin', 'user'])
  role!: Role;
}

export class UserDto {
  @ApiProperty() id!: string;
  @ApiProperty() username!: string;
  @ApiProperty({ enum: ['admin', 'user'] }) role!: Role;
  @ApiProperty() createdAt!: Date;
  @ApiProperty({ description: 'A disabled user cannot sign in' }) disabled!: boolean;
  @ApiProperty({ description: 'Signs in through single sign-on; has no local password' })
  sso!: boolean;
}

export class SetPasswordDto {
  @ApiProperty({ minLength: MIN_PASSWORD_LENGTH, description: 'The same policy as every password' })
  @IsString()
  @MaxLength(MAX_PASSWORD_LENGTH)
  password!: string;
}

import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import type { Role } from '../../common/current-user.js';

export class CreateUserDto {
  @ApiProperty({ example: 'alice', pattern: '^[a-z0-9][a-z0-9._-]{1,63}$' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9._-]{1,63}$/, {
    message: 'username must be 2-64 lowercase letters, digits, ".", "_" or "-"',
  })
  username!: string;

  @ApiProperty({ minLength: 8 })
  @IsString()
  @MinLength(8)
  @MaxLength(256)
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
}

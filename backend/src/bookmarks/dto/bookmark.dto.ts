import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { PageQueryDto } from '../../common/pagination.js';
import type { Visibility } from '../../database/entities/bookmark.entity.js';
import { CreateExpiryDto, ExpiryStateDto, UpdateExpiryDto } from '../../settings/dto/expiry.dto.js';

const NAME = /^\S.{0,127}$/;
const TAG = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export class CreateBookmarkDto extends CreateExpiryDto {
  @ApiProperty({ example: 'after edge case data' })
  @IsString()
  @Matches(NAME, { message: 'name must be 1-128 characters and not start with a space' })
  name!: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) description?: string;

  @ApiPropertyOptional({ type: [String], example: ['qa', 'edge-case'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(TAG, {
    each: true,
    message: 'each tag must be 1-64 letters, digits, ".", "_", ":" or "-"',
  })
  tags?: string[];

  @ApiPropertyOptional({ example: 'BUG-4711' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  bugRef?: string;
}

export class UpdateBookmarkDto extends UpdateExpiryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(NAME, { message: 'name must be 1-128 characters and not start with a space' })
  name?: string;
  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(TAG, {
    each: true,
    message: 'each tag must be 1-64 letters, digits, ".", "_", ":" or "-"',
  })
  tags?: string[];
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(128) bugRef?: string;
}

export class ShareBookmarkDto {
  @ApiPropertyOptional({ type: [String], description: 'Share with these users' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true, message: 'each userId must be a UUID' })
  userIds?: string[];

  @ApiPropertyOptional({ description: 'Share with every user' })
  @IsOptional()
  @IsBoolean()
  everyone?: boolean;
}

export class BookmarkQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['mine', 'shared', 'all'], default: 'all' })
  @IsOptional()
  @IsIn(['mine', 'shared', 'all'])
  scope?: 'mine' | 'shared' | 'all';
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) tag?: string;
  @ApiPropertyOptional({ description: 'Search in name, description and bug reference' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  q?: string;
  @ApiPropertyOptional({
    description: 'Bookmarks of this bug: exact key or URL (a key also finds its link, and back)',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  bugRef?: string;
}

export class BookmarkDto extends ExpiryStateDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty({ type: [String] }) tags!: string[];
  @ApiProperty({ type: String, nullable: true }) bugRef!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Link of the bug reference: the URL itself, or the key through BP_BUG_URL_PATTERN',
  })
  bugUrl!: string | null;
  @ApiProperty() creatorId!: string;
  @ApiProperty() creator!: string;
  @ApiProperty({ enum: ['private', 'users', 'everyone'] }) visibility!: Visibility;
  @ApiProperty({ type: [String] }) sharedWith!: string[];
  @ApiProperty() createdAt!: Date;
  @ApiProperty() containerId!: string;
  @ApiProperty() containerName!: string;
  @ApiProperty() templateId!: string;
  @ApiProperty({ example: 'v1', description: 'The template version its data derives from' })
  templateVersion!: string;
  @ApiProperty() branchId!: string;
  @ApiProperty() pointId!: string;
  @ApiProperty({ description: 'Whether you own its container (and may change it)' }) mine!: boolean;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches } from 'class-validator';
import type { BranchState } from '../../database/entities/branch.entity.js';
import { POINT_TYPES, type PointType } from '../../database/entities/point.entity.js';
import { CreateExpiryDto, ExpiryStateDto, UpdateExpiryDto } from '../../settings/dto/expiry.dto.js';

export class CreateBranchDto extends CreateExpiryDto {
  @ApiProperty({ example: 'bug-4711' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, {
    message: 'name must be 1-128 letters, digits, ".", "_" or "-"',
  })
  name!: string;

  @ApiPropertyOptional({
    description:
      'A bookmark of this container, or a shared bookmark of a container of the same template',
  })
  @IsOptional()
  @IsUUID('all', { message: 'fromBookmarkId must be a UUID' })
  fromBookmarkId?: string;

  @ApiPropertyOptional({
    description:
      "A point of one of this container's branches; without either, the active branch's current data",
  })
  @IsOptional()
  @IsUUID('all', { message: 'fromPointId must be a UUID' })
  fromPointId?: string;
}

/** `PATCH /branches/:id`: its expiry (extend with expiresIn) or protection. */
export class UpdateBranchDto extends UpdateExpiryDto {}

export class RestoreBranchDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'bookmarkId must be a UUID' })
  bookmarkId?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'pointId must be a UUID' })
  pointId?: string;
}

export class BranchDto extends ExpiryStateDto {
  @ApiProperty() id!: string;
  @ApiProperty() containerId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['creating', 'ready', 'failed', 'deleting'] }) state!: BranchState;
  @ApiProperty() active!: boolean;
  @ApiProperty({
    example: 'v1',
    description: 'The template version its current data derives from',
  })
  templateVersion!: string;
  @ApiProperty({ type: String, nullable: true }) originPointId!: string | null;
  @ApiProperty({ type: String, nullable: true }) originBookmarkId!: string | null;
  @ApiProperty() createdAt!: Date;
}

export class PointDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: POINT_TYPES })
  type!: PointType;
  @ApiProperty() createdAt!: Date;
  @ApiPropertyOptional() bookmarkId?: string;
  @ApiProperty({ example: 'v1', description: "The template version the point's data derives from" })
  templateVersion!: string;
}

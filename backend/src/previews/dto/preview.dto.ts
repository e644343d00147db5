import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import type { SourceKind } from '@branchpoint/contracts';
import { SOURCE_KINDS } from '../../common/engines.js';

/** How long a preview may live, in minutes. */
export const PREVIEW_MINUTES = { default: 30, max: 240 } as const;
/** How many rows a table page may ask for. */
export const PREVIEW_ROWS = { default: 50, max: 500 } as const;

export class CreatePreviewDto {
  @ApiPropertyOptional({ description: 'the bookmark to preview (or pointId)' })
  @IsOptional()
  @IsUUID()
  bookmarkId?: string;

  @ApiPropertyOptional({ description: 'the timeline point to preview (or bookmarkId)' })
  @IsOptional()
  @IsUUID()
  pointId?: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: PREVIEW_MINUTES.max,
    default: PREVIEW_MINUTES.default,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(PREVIEW_MINUTES.max)
  minutes?: number;
}

export class PreviewEndpointDto {
  @ApiProperty() source!: string;
  @ApiProperty({ enum: SOURCE_KINDS, description: "the source's engine" }) kind!: SourceKind;
  @ApiProperty() host!: string;
  @ApiProperty() port!: number;
  @ApiProperty({ type: String, nullable: true }) database!: string | null;
  @ApiProperty({ description: 'the reader role: it may read every table and change nothing' })
  username!: string;
  @ApiProperty() password!: string;
  @ApiProperty({ description: 'read-only; TLS (verify with GET /containers/:id/ca-certificate)' })
  connectionString!: string;
}

export class PreviewDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['creating', 'ready', 'failed'] }) state!: string;
  @ApiProperty() containerId!: string;
  @ApiProperty() branchId!: string;
  @ApiProperty() pointId!: string;
  @ApiProperty({ type: String, nullable: true }) bookmarkId!: string | null;
  @ApiProperty({ description: 'when it is destroyed' }) expiresAt!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
  @ApiProperty({ type: [PreviewEndpointDto], description: 'empty until ready' })
  endpoints!: PreviewEndpointDto[];
}

export class PreviewTableDto {
  @ApiProperty({ description: '`schema.table`' }) name!: string;
  @ApiProperty() rows!: number;
  @ApiProperty({ description: 'rows is the planner estimate (large tables are not counted)' })
  estimated!: boolean;
}

export class PreviewRowsQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: PREVIEW_ROWS.max, default: PREVIEW_ROWS.default })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(PREVIEW_ROWS.max)
  limit?: number;
}

export class PreviewRowsDto {
  @ApiProperty() name!: string;
  @ApiProperty({ type: [String] }) columns!: string[];
  @ApiProperty({
    type: 'array',
    items: { type: 'array', items: {} },
    description:
      'the first rows in primary key order, values as JSON (long text cut, bytes as \\x hex)',
  })
  rows!: unknown[][];
}

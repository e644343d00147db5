import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class CreateDiffDto {
  @ApiProperty({
    description:
      'a bookmark, point or branch id (a branch: its data now, taken as a point first): the older side',
  })
  @IsUUID()
  from!: string;

  @ApiProperty({
    description: 'a bookmark, point or branch id of the same template: the newer side',
  })
  @IsUUID()
  to!: string;
}

export class SchemaChangeDto {
  @ApiProperty({ enum: ['table', 'column', 'index', 'constraint', 'view', 'function'] })
  kind!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['added', 'removed', 'changed'] }) change!: string;
  @ApiPropertyOptional({ description: 'definition (type, SQL) before' }) from?: string;
  @ApiPropertyOptional({ description: 'definition after' }) to?: string;
}

export class ChangedColumnDto {
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, description: 'JSON value before' }) from!: unknown;
  @ApiProperty({ nullable: true, description: 'JSON value after' }) to!: unknown;
}

export class ChangedRowDto {
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'primary key values' })
  key!: Record<string, unknown>;
  @ApiProperty({ type: [ChangedColumnDto] }) columns!: ChangedColumnDto[];
}

export class TableDiffDto {
  @ApiProperty({ description: '`schema.table`' }) name!: string;
  @ApiProperty() added!: number;
  @ApiProperty() removed!: number;
  @ApiProperty({ description: 'rows whose primary key is on both sides with other values' })
  changed!: number;
  @ApiProperty({
    enum: ['key', 'hash', 'table'],
    description:
      'key: by primary key; hash: no key, a changed row counts as removed + added; table: on one side only',
  })
  matchedBy!: string;
  @ApiProperty({ type: [SchemaChangeDto] }) schema!: SchemaChangeDto[];
  @ApiProperty({ type: [ChangedRowDto], description: 'the first changed rows (capped)' })
  changedRows!: ChangedRowDto[];
}

export class DiffSideDto {
  @ApiProperty({ description: 'the id given (bookmark, point or branch)' }) ref!: string;
  @ApiProperty() containerId!: string;
  @ApiProperty() branchId!: string;
  @ApiProperty() pointId!: string;
  @ApiProperty({ type: String, nullable: true }) bookmarkId!: string | null;
  @ApiPropertyOptional({ description: "true: a branch's head, taken as point pointId" })
  snapshot?: boolean;
}

export class DiffDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['queued', 'running', 'succeeded', 'failed', 'stopped'] }) state!: string;
  @ApiProperty({ minimum: 0, maximum: 100 }) progress!: number;
  @ApiProperty({ type: DiffSideDto }) from!: DiffSideDto;
  @ApiProperty({ type: DiffSideDto }) to!: DiffSideDto;
  @ApiProperty({ type: [TableDiffDto], description: 'tables that differ (empty until done)' })
  tables!: TableDiffDto[];
  @ApiProperty({ type: [SchemaChangeDto], description: 'views and functions' })
  schema!: SchemaChangeDto[];
  @ApiProperty() unchangedTables!: number;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'why it failed, was refused or stopped',
  })
  error!: string | null;
  @ApiProperty() createdAt!: string;
}

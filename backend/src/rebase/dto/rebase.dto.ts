import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { SchemaChangeDto } from '../../diffs/dto/diff.dto.js';

export class RebaseBranchDto {
  @ApiPropertyOptional({
    example: 'v7',
    description: "The template version to rebase onto; without it, the template's newest",
  })
  @IsOptional()
  @IsString()
  @Matches(/^v[1-9][0-9]{0,8}$/, { message: 'templateVersion must look like v7' })
  templateVersion?: string;

  @ApiPropertyOptional({
    example: 'bug-4711-v7',
    description: 'The new branch\'s name; without it, "<branch>-<version>"',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, {
    message: 'name must be 1-128 letters, digits, ".", "_" or "-"',
  })
  name?: string;
}

export class AppliedSchemaChangeDto extends SchemaChangeDto {
  @ApiProperty({ type: String, nullable: true, description: '`schema.table`; null for others' })
  table!: string | null;
}

export class RebasedTableDto {
  @ApiProperty({ description: '`schema.table`' }) name!: string;
  @ApiProperty() inserted!: number;
  @ApiProperty() updated!: number;
  @ApiProperty() deleted!: number;
  @ApiProperty({ description: 'rows changed by the branch and by the new version: not applied' })
  conflicts!: number;
  @ApiProperty({ description: 'row changes the new branch refused (listed in skipped)' })
  failed!: number;
}

export class RowConflictDto {
  @ApiProperty({ description: '`schema.table`' }) table!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'primary key values' })
  key!: Record<string, unknown>;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: "the branch's row (null: the branch deleted it)",
  })
  branch!: Record<string, unknown> | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: "the new version's row (null: not in the new version)",
  })
  template!: Record<string, unknown> | null;
}

export class SkippedItemDto {
  @ApiProperty({ type: String, nullable: true }) table!: string | null;
  @ApiProperty({
    description:
      '`rows`, or the kind of schema object (table, column, index, constraint, view, function)',
  })
  kind!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: "a row's key" })
  key?: Record<string, unknown>;
  @ApiProperty({ description: 'why it was not replayed' }) reason!: string;
}

export class RebaseDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['queued', 'running', 'succeeded', 'failed', 'stopped'] }) state!: string;
  @ApiProperty({ minimum: 0, maximum: 100 }) progress!: number;
  @ApiProperty() containerId!: string;
  @ApiProperty({ description: 'the branch rebased (unchanged)' }) branchId!: string;
  @ApiProperty({ description: 'the new branch, from the target version, with the changes' })
  newBranchId!: string;
  @ApiProperty({ description: "the branch's first point, which its changes are measured from" })
  basePointId!: string;
  @ApiProperty({ description: 'the point of the branch its changes were read from' })
  headPointId!: string;
  @ApiProperty({ example: 'v3' }) baseVersion!: string;
  @ApiProperty({ example: 'v4' }) targetVersion!: string;
  @ApiProperty({ type: [AppliedSchemaChangeDto], description: 'schema changes applied, in order' })
  schema!: AppliedSchemaChangeDto[];
  @ApiProperty({
    type: [RebasedTableDto],
    description: 'tables whose rows were replayed or conflict',
  })
  tables!: RebasedTableDto[];
  @ApiProperty({ type: [RowConflictDto], description: 'the first conflicts (all are counted)' })
  conflicts!: RowConflictDto[];
  @ApiProperty() conflictCount!: number;
  @ApiProperty({ type: [SkippedItemDto], description: 'the first things not replayed, with why' })
  skipped!: SkippedItemDto[];
  @ApiProperty() skippedCount!: number;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'why it failed, was refused or stopped',
  })
  error!: string | null;
  @ApiProperty() createdAt!: string;
}

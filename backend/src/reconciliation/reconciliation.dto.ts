import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, IsUUID, Matches } from 'class-validator';
import { DIVERGENCE_KINDS, type DivergenceAction, type DivergenceKind } from './divergences.js';

/** `container:<id>` or `template:<id>`, ids as the agent names datasets. */
export const ORPHAN_KEY_PATTERN = /^(container|template):[a-z0-9][a-z0-9-]{0,63}$/;

export class DivergenceSubjectDto {
  @ApiProperty({ required: false }) containerId?: string;
  @ApiProperty({ required: false }) containerName?: string;
  @ApiProperty({ required: false }) branchId?: string;
  @ApiProperty({ required: false }) branchName?: string;
  @ApiProperty({ required: false }) pointId?: string;
  @ApiProperty({ required: false }) bookmarkId?: string;
  @ApiProperty({ required: false }) bookmarkName?: string;
  @ApiProperty({ required: false }) templateId?: string;
  @ApiProperty({ required: false }) templateName?: string;
  @ApiProperty({ required: false }) sourceId?: string;
  @ApiProperty({ required: false, description: 'The dataset or snapshot on the host' })
  dataset?: string;
}

export class DivergenceDto {
  @ApiProperty({ enum: DIVERGENCE_KINDS, enumName: 'DivergenceKind' }) kind!: DivergenceKind;
  @ApiProperty({ type: DivergenceSubjectDto }) subject!: DivergenceSubjectDto;
  @ApiProperty({ type: String, nullable: true, description: 'What the catalog says' })
  catalog!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'What the host says' })
  host!: string | null;
  @ApiProperty({
    enum: ['repaired', 'reported', 'pending'],
    description:
      '`repaired`: the catalog (or, for a hold, the host) now agrees with what the host proves; `reported`: an admin decides; `pending`: unknown and younger than a minute, a job may be creating it',
  })
  action!: DivergenceAction;
  @ApiProperty({ required: false, description: 'Why the repair failed (then `reported`)' })
  error?: string;
}

export class OrphanDto {
  @ApiProperty() hostId!: string;
  @ApiProperty() host!: string;
  @ApiProperty({ example: 'container:3f1c…', description: '`container:<id>` or `template:<id>`' })
  key!: string;
  @ApiProperty({ enum: ['container', 'template'] }) kind!: 'container' | 'template';
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'The top dataset that would be destroyed with everything below' })
  dataset!: string;
  @ApiProperty({ description: 'Space it takes in the pool' }) bytes!: number;
  @ApiProperty({ type: Date, nullable: true }) createdAt!: Date | null;
  @ApiProperty({
    type: [String],
    description:
      'What depends on it (clones elsewhere, holds, branches): destroy is refused while any',
  })
  dependents!: string[];
  @ApiProperty({
    description: 'Younger than a minute (a job may be creating it): not destroyed yet',
  })
  pending!: boolean;
}

export class SkippedDto {
  @ApiProperty({ enum: ['container', 'template'] }) kind!: 'container' | 'template';
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['busy'], description: 'A job was queued or running during the cycle' })
  reason!: 'busy';
}

export class ReconciliationReportDto {
  @ApiProperty() hostId!: string;
  @ApiProperty() host!: string;
  @ApiProperty() checkedAt!: Date;
  @ApiProperty({ type: String, nullable: true, description: 'Why the host could not be checked' })
  error!: string | null;
  @ApiProperty({ type: [DivergenceDto], description: 'Every difference found, and what was done' })
  divergences!: DivergenceDto[];
  @ApiProperty({
    type: [OrphanDto],
    description:
      'Datasets of containers or templates the catalog does not know (pending ones included); never destroyed by reconciliation',
  })
  orphans!: OrphanDto[];
  @ApiProperty({ type: [SkippedDto], description: 'Left alone this cycle' })
  skipped!: SkippedDto[];
}

export class DestroyOrphansDto {
  @ApiProperty() @IsUUID() hostId!: string;

  @ApiProperty({ type: [String], example: ['container:3f1c…'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Matches(ORPHAN_KEY_PATTERN, {
    each: true,
    message:
      'each key must be container:<id> or template:<id>, as GET /reconciliation/orphans lists',
  })
  keys!: string[];
}

export class DestroyedOrphansDto {
  @ApiProperty() hostId!: string;
  @ApiProperty({ type: [String] }) destroyed!: string[];
}

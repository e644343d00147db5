import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsString,
  IsUUID,
  Matches,
  ValidateNested,
} from 'class-validator';
import {
  DIVERGENCE_KINDS,
  ORPHAN_VERDICTS,
  type DivergenceAction,
  type DivergenceKind,
  type OrphanVerdict,
} from './divergences.js';

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
  @ApiProperty({
    type: [String],
    description: 'Every filesystem a destroy would remove, the top one first',
  })
  datasets!: string[];
  @ApiProperty({ description: 'How many snapshots would go with them' }) snapshots!: number;
  @ApiProperty({ description: 'Space it takes in the pool' }) bytes!: number;
  @ApiProperty({ type: Date, nullable: true }) createdAt!: Date | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'The installation id its dataset carries (`branchpoint:installation`); null: none (made before installation ids)',
  })
  installation!: string | null;
  @ApiProperty({
    type: [String],
    description:
      'What depends on it (clones elsewhere, holds, branches): destroy is refused while any',
  })
  dependents!: string[];
  @ApiProperty({
    description:
      'Younger than a minute, or a job of its id in flight (a job may be creating it): not destroyed yet',
  })
  pending!: boolean;
  @ApiProperty({
    enum: ORPHAN_VERDICTS,
    enumName: 'OrphanVerdict',
    description:
      "Only `destroyable` ones may be destroyed. `unknown-to-catalog`: the catalog has no trace of it (newer than the metadata?), POST /recovery adopts it; `foreign`: another installation's, never touched; `known-elsewhere`: the catalog has it on another host",
  })
  verdict!: OrphanVerdict;
  @ApiProperty({ description: 'Why, in words' }) reason!: string;
  @ApiProperty({
    example: '9c1e4b7a0f2d3e6a',
    description:
      'What this preview saw (its datasets, snapshots, installation id, creation time): a destroy names it and is refused if anything changed since',
  })
  fingerprint!: string;
}

export class SkippedDto {
  @ApiProperty({ enum: ['container', 'template'] }) kind!: 'container' | 'template';
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['busy'], description: 'A job was queued or running during the cycle' })
  reason!: 'busy';
}

export class ReconciliationReportDto {
  @ApiProperty({ description: "This control plane's installation id" }) installationId!: string;
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

export class ConfirmedOrphanDto {
  @ApiProperty({ example: 'container:3f1c…' })
  @IsString()
  @Matches(ORPHAN_KEY_PATTERN, {
    message: 'key must be container:<id> or template:<id>, as GET /reconciliation/orphans lists',
  })
  key!: string;

  @ApiProperty({ description: 'The fingerprint GET /reconciliation/orphans showed' })
  @IsString()
  @Matches(/^[0-9a-f]{16}$/, {
    message: 'fingerprint must be the 16 hex digits GET /reconciliation/orphans lists',
  })
  fingerprint!: string;
}

export class DestroyOrphansDto {
  @ApiProperty() @IsUUID() hostId!: string;

  @ApiProperty({
    type: [ConfirmedOrphanDto],
    description: 'Exactly what the admin confirmed, each with the fingerprint the preview showed',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ConfirmedOrphanDto)
  orphans!: ConfirmedOrphanDto[];
}

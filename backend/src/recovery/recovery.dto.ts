import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import type { AdoptedKind } from './adoption-plan.js';

const KINDS: AdoptedKind[] = ['template', 'version', 'container', 'branch', 'point', 'bookmark'];

export class RecoverDto {
  @ApiPropertyOptional({ description: 'Plan only: list what would be adopted, change nothing' })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;
}

export class AdoptedDto {
  @ApiProperty({ enum: KINDS, enumName: 'RecoveredKind' }) kind!: AdoptedKind;
  @ApiProperty({ description: 'Its id (for a version: the template id)' }) id!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Its name (a version: `v<n>`)' })
  name!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The container it belongs to (null for templates and versions)',
  })
  containerId!: string | null;
  @ApiProperty() hostId!: string;
  @ApiProperty() host!: string;
  @ApiProperty({
    enum: ['record', 'properties'],
    description:
      '`record`: from the catalog record on the host; `properties`: from the structure alone (generated name, owned by the admin)',
  })
  from!: 'record' | 'properties';
}

export class RecoverySkippedDto {
  @ApiProperty({ enum: KINDS, enumName: 'RecoveredKind' }) kind!: AdoptedKind;
  @ApiProperty() id!: string;
  @ApiProperty() hostId!: string;
  @ApiProperty() host!: string;
  @ApiProperty({ description: 'Why it was not adopted' }) reason!: string;
}

export class RecoveredUserDto {
  @ApiProperty() id!: string;
  @ApiProperty() username!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'The generated password, shown this once (null in a dry run): hand it to the user or reset it',
  })
  password!: string | null;
}

export class RecoveryHostDto {
  @ApiProperty() hostId!: string;
  @ApiProperty() host!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Why its inventory could not be read' })
  error!: string | null;
}

export class RecoveryCountsDto {
  @ApiProperty() template!: number;
  @ApiProperty() version!: number;
  @ApiProperty() container!: number;
  @ApiProperty() branch!: number;
  @ApiProperty() point!: number;
  @ApiProperty() bookmark!: number;
}

export class RecoveryResultDto {
  @ApiProperty() dryRun!: boolean;
  @ApiProperty({ type: [RecoveryHostDto] }) hosts!: RecoveryHostDto[];
  @ApiProperty({ type: [AdoptedDto], description: 'Added to the catalog (or, dry, would be)' })
  adopted!: AdoptedDto[];
  @ApiProperty({ type: [RecoverySkippedDto] }) skipped!: RecoverySkippedDto[];
  @ApiProperty({
    type: RecoveryCountsDto,
    description: 'Found on the hosts and already in the catalog: left as the catalog says',
  })
  unchanged!: RecoveryCountsDto;
  @ApiProperty({
    type: [RecoveredUserDto],
    description: 'Users the records name that did not exist: created with the role user',
  })
  users!: RecoveredUserDto[];
}

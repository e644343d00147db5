import { ApiProperty } from '@nestjs/swagger';

export class ReconciliationReportDto {
  @ApiProperty() hostId!: string;
  @ApiProperty() host!: string;
  @ApiProperty() checkedAt!: Date;
  @ApiProperty({ type: String, nullable: true, description: 'Why the host could not be checked' })
  error!: string | null;
  @ApiProperty({ type: [String], description: 'Known to the metadata but absent on the agent' })
  missingOnAgent!: string[];
  @ApiProperty({
    type: [String],
    description: '`container:<id>` / `template:<id>` on the agent but unknown to the metadata',
  })
  orphans!: string[];
  @ApiProperty({ type: [String], description: 'Orphans destroyed in this run' }) cleaned!: string[];
}

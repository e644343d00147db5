import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { JobName, type JobState } from '@branchpoint/contracts';
import { PageQueryDto } from '../../common/pagination.js';

export class JobDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: JobName, enumName: 'JobName' }) type!: JobName;
  @ApiProperty({ type: String, nullable: true }) containerId!: string | null;
  @ApiProperty({ enum: ['queued', 'running', 'succeeded', 'failed'] }) state!: JobState;
  @ApiProperty({ minimum: 0, maximum: 100 }) progress!: number;
  @ApiPropertyOptional() error?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) result?: Record<
    string,
    unknown
  >;
  @ApiProperty({
    type: [String],
    description:
      'What the job did, oldest first: its steps and the output of template hooks it ran. At most 1000 lines and 64 KiB; past that the last line is "… truncated".',
  })
  log!: string[];
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) startedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) finishedAt!: string | null;
}

/** The answer of every operation: the job, and the id of what it creates, if anything. */
export class AcceptedJobDto {
  @ApiProperty() jobId!: string;
  @ApiPropertyOptional({ description: 'Id of the resource the job creates' }) id?: string;
}

export class JobQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description: "A container's jobs (owners and viewers); without it, the jobs you started",
  })
  @IsOptional()
  @IsUUID('all', { message: 'containerId must be a UUID' })
  containerId?: string;
}

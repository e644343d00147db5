import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';

export class PutScheduleDto {
  @ApiProperty({
    type: String,
    nullable: true,
    required: false,
    example: '0 20 * * 1-5',
    description: 'When the databases stop: a cron expression (5 fields, or 6 with seconds first)',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(128)
  stop?: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    required: false,
    example: '0 7 * * 1-5',
    description: 'When they start again, as `stop`',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(128)
  start?: string | null;

  @ApiProperty({ example: 'Europe/Berlin', description: 'IANA time zone the times are read in' })
  @IsString()
  @MaxLength(64)
  timeZone!: string;
}

export class ScheduleDto {
  @ApiProperty({
    enum: ['container', 'user', 'none'],
    description:
      "Whose schedule applies: the container's own, its owner's default, or none (the fields are null)",
  })
  scope!: 'container' | 'user' | 'none';
  @ApiProperty({ type: String, nullable: true, example: '0 20 * * 1-5' }) stop!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '0 7 * * 1-5' }) start!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Europe/Berlin' }) timeZone!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) nextStopAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) nextStartAt!: string | null;
}

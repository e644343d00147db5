import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class MoveContainerDto {
  @ApiProperty({
    description: 'The host to move the container to (the template must be available there)',
  })
  @IsUUID('all', { message: 'hostId must be a UUID' })
  hostId!: string;
}

export class DrainMoveDto {
  @ApiProperty() containerId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'Where placement sends it' }) hostId!: string;
  @ApiProperty() jobId!: string;
}

export class DrainSkipDto {
  @ApiProperty() containerId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'Why it stays (nowhere else to go, busy, others depend on it …)' })
  reason!: string;
}

export class DrainResultDto {
  @ApiProperty({ type: [DrainMoveDto], description: 'One move job per container' })
  moves!: DrainMoveDto[];
  @ApiProperty({ type: [DrainSkipDto] })
  skipped!: DrainSkipDto[];
}

import { ApiProperty } from '@nestjs/swagger';
import { IsObject } from 'class-validator';

export class UpdateServerSettingsDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', nullable: true },
    example: { work_mem: '64MB', random_page_cost: null },
    description:
      'Parameter name to its new value; null resets it to the clone default. Parameters that touch files, programs, the network, logging or replication are refused.',
  })
  @IsObject({ message: 'settings must be an object of parameter names to values' })
  settings!: Record<string, string | null>;
}

export class ServerSettingsDto {
  @ApiProperty({ description: 'The active branch, whose data holds these settings' })
  branchId!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { work_mem: '64MB' },
    description: 'Parameters the owners changed, as the servers run them now',
  })
  settings!: Record<string, string>;
  @ApiProperty({
    type: [String],
    example: ['shared_buffers'],
    description: 'Changed parameters that wait for a restart (stop and start the container)',
  })
  pendingRestart!: string[];
}

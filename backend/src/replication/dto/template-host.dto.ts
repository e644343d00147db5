import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class AddTemplateHostDto {
  @ApiProperty({ description: 'The host to make the template available on' })
  @IsUUID('all', { message: 'hostId must be a UUID' })
  hostId!: string;
}

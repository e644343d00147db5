import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsUUID, ValidateIf } from 'class-validator';
import { ContainerHostDto } from './container.dto.js';

/** PUT /templates/{id}/placement: pin the template's new containers to hosts, or unpin (null). */
export class PinPlacementDto {
  @ApiProperty({
    type: [String],
    nullable: true,
    description: 'Host ids; null: any host the template is available on',
  })
  @ValidateIf((_, value) => value !== null)
  @IsArray({ message: 'hostIds must be a list of host ids or null' })
  @ArrayMaxSize(100, { message: 'hostIds may name at most 100 hosts' })
  @IsUUID('all', { each: true, message: 'hostIds must be host ids (UUIDs)' })
  hostIds!: string[] | null;
}

export class PlacementDto {
  @ApiProperty({
    type: [String],
    nullable: true,
    description: "The hosts an admin pinned the template's new containers to; null: none pinned",
  })
  pinnedHostIds!: string[] | null;
  @ApiProperty({
    type: [ContainerHostDto],
    description:
      'Where a new container of it may go (POST /containers hostId): the hosts it is available on, within the pin, best first for those that are up',
  })
  hosts!: ContainerHostDto[];
}

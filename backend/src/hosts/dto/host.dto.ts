import { ApiProperty, PartialType, PickType } from '@nestjs/swagger';
import { IsString, IsUrl, Matches, MaxLength, MinLength } from 'class-validator';
import type { HostStatus } from '../host.entity.js';

export class CreateHostDto {
  @ApiProperty({ example: 'zfs-1' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, {
    message: 'name must be 1-128 letters, digits, ".", "_" or "-"',
  })
  name!: string;

  @ApiProperty({ example: 'http://10.0.0.5:7070' })
  @IsUrl(
    { protocols: ['http', 'https'], require_tld: false, require_protocol: true },
    { message: 'url must be an http(s) URL' },
  )
  url!: string;

  @ApiProperty({
    description: "The agent's bearer token (BP_AGENT_TOKEN); stored, never shown again",
  })
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  token!: string;
}

/** A new address or agent token (rotation); what is left out stays. */
export class UpdateHostDto extends PartialType(PickType(CreateHostDto, ['url', 'token'])) {}

export class HostCapacityDto {
  @ApiProperty() pool!: string;
  @ApiProperty() sizeBytes!: number;
  @ApiProperty() freeBytes!: number;
  @ApiProperty() usedBytes!: number;
  @ApiProperty() health!: string;
  @ApiProperty() runningInstances!: number;
}

export class HostDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ enum: ['unknown', 'up', 'down'] }) status!: HostStatus;
  @ApiProperty({ type: HostCapacityDto, nullable: true }) capacity!: HostCapacityDto | null;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty({ type: Date, nullable: true }) checkedAt!: Date | null;
}

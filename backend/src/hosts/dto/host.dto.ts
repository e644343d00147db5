import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { IsOptional, IsString, IsUrl, Matches, MaxLength, MinLength } from 'class-validator';
import type { HostStatus } from '../../database/entities/host.entity.js';

const FINGERPRINT_EXAMPLE =
  '2F:0A:38:93:46:4A:B0:3F:B5:A3:2A:B9:F9:C8:0D:81:6B:71:96:20:8E:CB:43:DF:89:85:EE:7A:5C:5B:CF:97';

/** An optional certificate fingerprint in Node's `fingerprint256` format, any letter case. */
function IsFingerprint(description: string): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ required: false, example: FINGERPRINT_EXAMPLE, description }),
    IsOptional(),
    IsString(),
    Matches(/^([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$/, {
      message: 'fingerprint must be a SHA-256 fingerprint, 32 hex pairs separated by ":"',
    }),
  );
}

export class CreateHostDto {
  @ApiProperty({ example: 'zfs-1' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, {
    message: 'name must be 1-128 letters, digits, ".", "_" or "-"',
  })
  name!: string;

  @ApiProperty({ example: 'https://10.0.0.5:7070' })
  @IsUrl(
    { protocols: ['https'], require_tld: false, require_protocol: true },
    { message: 'url must be an https URL' },
  )
  url!: string;

  @ApiProperty({
    description: "The agent's bearer token (BP_AGENT_TOKEN); stored, never shown again",
  })
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  token!: string;

  @IsFingerprint(
    "SHA-256 of the agent's certificate, as its start-up line prints it. Given, the agent must present it (else 400); left out, the certificate the agent presents now is pinned (trust on first use)",
  )
  fingerprint?: string;
}

/**
 * A new address or agent token (rotation); what is left out stays, the pinned certificate
 * included. A new `fingerprint` re-pins, after checking the agent presents it.
 */
export class UpdateHostDto extends PartialType(PickType(CreateHostDto, ['url', 'token'])) {
  @IsFingerprint(
    "A new SHA-256 of the agent's certificate to pin instead of the old one; the agent must present it (else 400)",
  )
  fingerprint?: string;
}

export class HostCapacityDto {
  @ApiProperty() pool!: string;
  @ApiProperty() sizeBytes!: number;
  @ApiProperty() freeBytes!: number;
  @ApiProperty() usedBytes!: number;
  @ApiProperty() health!: string;
  @ApiProperty() runningInstances!: number;
}

const ADMINS_ONLY = 'Admins only (left out for other users).';

/** A host; where its agent is, its pin and its errors only in admins' answers. */
export class HostDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ description: `The agent's address. ${ADMINS_ONLY}` }) url?: string;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: FINGERPRINT_EXAMPLE,
    description: `The pinned SHA-256 of the agent's certificate; null for a host registered before agents spoke HTTPS, until it is edited. ${ADMINS_ONLY}`,
  })
  certificateFingerprint?: string | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: `The agent's own identity (one agent is one host); null until it first answers. ${ADMINS_ONLY}`,
  })
  agentId?: string | null;
  @ApiProperty({ enum: ['unknown', 'up', 'down'] }) status!: HostStatus;
  @ApiProperty({ description: 'Being drained: it takes no new containers' }) draining!: boolean;
  @ApiProperty({ type: HostCapacityDto, nullable: true }) capacity!: HostCapacityDto | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: `Why the agent did not answer (it names addresses of the internal network). ${ADMINS_ONLY}`,
  })
  lastError?: string | null;
  @ApiProperty({ type: Date, nullable: true }) checkedAt!: Date | null;
}

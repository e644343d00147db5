import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class CreateOutboundRuleDto {
  @ApiProperty({
    description:
      'An IP address, a CIDR range (`10.20.0.0/16`, `fd00::/8`) or a host name (`hooks.internal`, `*.corp.example` for its subdomains)',
    example: '10.20.0.0/16',
  })
  @IsString()
  @MaxLength(260)
  entry!: string;

  @ApiPropertyOptional({ description: 'Why it is allowed, for other admins' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  note?: string;
}

export class OutboundRuleDto {
  /** Null for entries of BP_OUTBOUND_ALLOW, which only the deployment changes. */
  @ApiProperty({ type: String, nullable: true, description: 'Null for BP_OUTBOUND_ALLOW entries' })
  id!: string | null;
  @ApiProperty({ description: 'Canonical form: `10.0.0.0/8`, `::1/128`, `hooks.internal`' })
  entry!: string;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({
    enum: ['admin', 'environment'],
    description: '`environment`: from BP_OUTBOUND_ALLOW, read-only here',
  })
  source!: 'admin' | 'environment';
  @ApiProperty({ type: Date, nullable: true }) createdAt!: Date | null;
}

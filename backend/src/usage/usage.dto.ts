import { ApiProperty } from '@nestjs/swagger';
import { QuotaUseDto } from '../quotas/dto/quotas.dto.js';

export class UsageEntryDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'Bytes the data would take as full copies (ZFS referenced)' })
  logicalBytes!: number;
  @ApiProperty({ description: 'Bytes it takes in the pool (ZFS used)' }) physicalBytes!: number;
  @ApiProperty({ description: 'logical / physical; 0 when nothing is stored' })
  savingsRatio!: number;
}

export class UsageDto {
  @ApiProperty({ type: UsageEntryDto }) total!: UsageEntryDto;
  @ApiProperty({ type: [UsageEntryDto] }) users!: UsageEntryDto[];
  @ApiProperty({ type: [UsageEntryDto] }) templates!: UsageEntryDto[];
  @ApiProperty({ type: [UsageEntryDto] }) containers!: UsageEntryDto[];
  @ApiProperty({ type: [String], description: 'Hosts whose numbers are missing (down)' })
  unavailableHosts!: string[];
  @ApiProperty({
    type: [QuotaUseDto],
    description: "The caller's use of each of their quotas against its limit",
  })
  quotas!: QuotaUseDto[];
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';

export const CONTAINER_FATES = ['transfer', 'delete'] as const;
export type ContainerFate = (typeof CONTAINER_FATES)[number];

/** What becomes of a deleted user's containers: needed when they own any. */
export class DeleteUserQueryDto {
  @ApiPropertyOptional({
    enum: CONTAINER_FATES,
    description:
      'transfer: the user named by `to` takes their place as owner; delete: containers they own alone are deleted, co-owned ones stay with the other owners',
  })
  @IsOptional()
  @IsIn(CONTAINER_FATES, { message: 'containers must be "transfer" or "delete"' })
  containers?: ContainerFate;

  @ApiPropertyOptional({ description: 'The user who receives the containers (with transfer)' })
  @IsOptional()
  @IsUUID('all', { message: 'to must be a user id' })
  to?: string;
}

export class ContainerDeletionDto {
  @ApiProperty() containerId!: string;
  @ApiProperty() jobId!: string;
}

export class DeletedUserDto {
  @ApiProperty({ type: [String], description: 'Containers handed over or left to co-owners' })
  keptContainerIds!: string[];
  @ApiProperty({ type: [ContainerDeletionDto], description: 'Containers being deleted (jobs)' })
  deletions!: ContainerDeletionDto[];
}

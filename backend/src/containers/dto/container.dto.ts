import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches } from 'class-validator';
import { BranchDto } from '../../branches/dto/branch.dto.js';
import type { ContainerServing, ContainerState } from '../../database/entities/container.entity.js';
import type { HostStatus } from '../../database/entities/host.entity.js';
import { CreateExpiryDto, ExpiryStateDto, UpdateExpiryDto } from '../../settings/dto/expiry.dto.js';
import type { SourceKind } from '@branchpoint/contracts';
import { SOURCE_KINDS } from '../../common/engines.js';

export class CreateContainerDto extends CreateExpiryDto {
  @ApiProperty({ example: 'qa-alice' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,127}$/, {
    message: 'name must be 1-128 letters, digits, spaces, ".", "_" or "-"',
  })
  name!: string;

  @ApiProperty() @IsUUID('all', { message: 'templateId must be a UUID' }) templateId!: string;

  @ApiPropertyOptional({
    description:
      'Start from this bookmark (mine or shared with me, same template) instead of the latest template version',
  })
  @IsOptional()
  @IsUUID('all', { message: 'fromBookmarkId must be a UUID' })
  fromBookmarkId?: string;

  @ApiPropertyOptional({
    description:
      'The host to make it on, among those the template is available on (GET /templates/{id} hosts); placement chooses when absent (free pool space, memory, running servers)',
  })
  @IsOptional()
  @IsUUID('all', { message: 'hostId must be a UUID' })
  hostId?: string;
}

/** The host a container lives on, with its health as the control plane last saw it. */
export class ContainerHostDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'local' }) name!: string;
  @ApiProperty({
    enum: ['unknown', 'up', 'down'],
    description: '`down`: the host is down or cut off; operations answer 503 until it is back',
  })
  status!: HostStatus;
}

export class UpdateContainerDto extends UpdateExpiryDto {
  @ApiPropertyOptional({ example: 'qa-alice' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,127}$/, {
    message: 'name must be 1-128 letters, digits, spaces, ".", "_" or "-"',
  })
  name?: string;
}

export class AddOwnerDto {
  @ApiProperty() @IsUUID('all', { message: 'userId must be a UUID' }) userId!: string;
}

export class EndpointDto {
  @ApiProperty({ example: 'app-db' }) source!: string;
  @ApiProperty({ enum: SOURCE_KINDS, description: "The source's engine" }) kind!: SourceKind;
  @ApiProperty({ example: '127.0.0.1' }) host!: string;
  @ApiProperty({ type: Number, nullable: true }) port!: number | null;
  @ApiProperty({ type: String, nullable: true }) database!: string | null;
  @ApiProperty({ type: String, nullable: true }) username!: string | null;
  @ApiProperty() password!: string;
  @ApiProperty({
    example: 'postgres://user:pw@127.0.0.1:55001/app',
    description:
      'postgres://… or mysql://… with the password; for a directory source, the path of its copy',
  })
  connectionString!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'mariadb -h 127.0.0.1 -P 55002 -u branchpoint -p --ssl site',
    description: 'A command to paste in a shell (it asks for the password); null for directories',
  })
  command!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: "directory sources: where the active branch's copy is mounted on the host",
  })
  path!: string | null;
}

export class UserRefDto {
  @ApiProperty() id!: string;
  @ApiProperty() username!: string;
}

export class ContainerDto extends ExpiryStateDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() templateId!: string;
  @ApiProperty({
    example: 'v1',
    description:
      "The template version the active branch's data derives from (while no branch is active yet, the version the container is being created from)",
  })
  templateVersion!: string;
  @ApiProperty({ type: ContainerHostDto }) host!: ContainerHostDto;
  @ApiProperty({
    description:
      'False while its host is down or cut off: its databases cannot be reached and operations answer 503',
  })
  available!: boolean;
  @ApiProperty({ enum: ['creating', 'ready', 'failed', 'deleting', 'moving'] })
  state!: ContainerState;
  @ApiProperty({
    enum: ['owner', 'viewer'],
    description: 'viewer: a bookmark of it is shared with you',
  })
  access!: 'owner' | 'viewer';
  @ApiProperty({
    enum: ['running', 'stopped', 'idle'],
    description:
      'Whether its databases run; `idle`: stopped after BP_IDLE_STOP_MS without activity. `POST /containers/{id}/start` starts them again',
  })
  serving!: ContainerServing;
  @ApiProperty({ type: [UserRefDto] }) owners!: UserRefDto[];
  @ApiProperty({ type: String, nullable: true }) activeBranchId!: string | null;
  @ApiProperty({ type: UserRefDto, nullable: true }) lockedBy!: UserRefDto | null;
  @ApiProperty({ type: [EndpointDto], description: 'Owners only; empty for viewers' })
  endpoints!: EndpointDto[];
  @ApiProperty() createdAt!: Date;
}

export class ContainerDetailDto extends ContainerDto {
  @ApiProperty({ type: [BranchDto], description: 'Owners only; empty for viewers' })
  branches!: BranchDto[];
}

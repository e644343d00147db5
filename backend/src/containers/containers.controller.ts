import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { AuthUser, type CurrentUser } from '../common/current-user.js';
import { ApiPage, Page, PageQueryDto } from '../common/pagination.js';
import { UuidParam } from '../common/uuid-param.js';
import { AcceptedJobDto } from '../jobs/dto/job.dto.js';
import { ContainerCredentialsService } from './container-credentials.service.js';
import { ContainerSettingsService } from './container-settings.service.js';
import { ContainersService } from './containers.service.js';
import { ServerSettingsDto, UpdateServerSettingsDto } from './dto/container-settings.dto.js';
import {
  AddOwnerDto,
  ContainerDetailDto,
  ContainerDto,
  CreateContainerDto,
  UpdateContainerDto,
} from './dto/container.dto.js';

@ApiTags('containers')
@ApiBearerAuth()
@Controller('containers')
export class ContainersController {
  constructor(
    private readonly containers: ContainersService,
    private readonly settings: ContainerSettingsService,
    private readonly credentials: ContainerCredentialsService,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiAcceptedResponse({ type: AcceptedJobDto, description: '`id` is the new container' })
  create(@AuthUser() user: CurrentUser, @Body() dto: CreateContainerDto): Promise<AcceptedJobDto> {
    return this.containers.create(user, dto);
  }

  @Get()
  @ApiPage(ContainerDto)
  list(@AuthUser() user: CurrentUser, @Query() page: PageQueryDto): Promise<Page<ContainerDto>> {
    return this.containers.list(user, page);
  }

  @Get(':id')
  @ApiOkResponse({ type: ContainerDetailDto })
  get(@AuthUser() user: CurrentUser, @UuidParam() id: string): Promise<ContainerDetailDto> {
    return this.containers.get(user, id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: ContainerDto })
  update(
    @AuthUser() user: CurrentUser,
    @UuidParam() id: string,
    @Body() dto: UpdateContainerDto,
  ): Promise<ContainerDto> {
    return this.containers.update(user, id, dto);
  }

  @Delete(':id')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: AcceptedJobDto })
  delete(@AuthUser() user: CurrentUser, @UuidParam() id: string): Promise<AcceptedJobDto> {
    return this.containers.delete(user, id);
  }

  @Post(':id/refresh')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: AcceptedJobDto })
  refresh(@AuthUser() user: CurrentUser, @UuidParam() id: string): Promise<AcceptedJobDto> {
    return this.containers.refresh(user, id);
  }

  @Post(':id/undo')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: AcceptedJobDto })
  undo(@AuthUser() user: CurrentUser, @UuidParam() id: string): Promise<AcceptedJobDto> {
    return this.containers.undo(user, id);
  }

  @Post(':id/start')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: AcceptedJobDto })
  start(@AuthUser() user: CurrentUser, @UuidParam() id: string): Promise<AcceptedJobDto> {
    return this.containers.start(user, id);
  }

  @Post(':id/stop')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: AcceptedJobDto })
  stop(@AuthUser() user: CurrentUser, @UuidParam() id: string): Promise<AcceptedJobDto> {
    return this.containers.stop(user, id);
  }

  @Get(':id/settings')
  @ApiOkResponse({ type: ServerSettingsDto })
  getSettings(@AuthUser() user: CurrentUser, @UuidParam() id: string): Promise<ServerSettingsDto> {
    return this.settings.get(user, id);
  }

  @Patch(':id/settings')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: AcceptedJobDto, description: 'Records a `settings` point' })
  updateSettings(
    @AuthUser() user: CurrentUser,
    @UuidParam() id: string,
    @Body() dto: UpdateServerSettingsDto,
  ): Promise<AcceptedJobDto> {
    return this.settings.update(user, id, dto);
  }

  @Post(':id/credentials/rotate')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: AcceptedJobDto, description: 'The endpoints show the new password' })
  rotateCredentials(
    @AuthUser() user: CurrentUser,
    @UuidParam() id: string,
  ): Promise<AcceptedJobDto> {
    return this.credentials.rotate(user, id);
  }

  @Get(':id/ca-certificate')
  @Header('content-type', 'application/x-pem-file')
  @Header('content-disposition', 'attachment; filename="branchpoint-ca.pem"')
  @ApiProduces('application/x-pem-file')
  @ApiOkResponse({
    description: "PEM of the CA that signs the certificates of the container's servers",
    schema: { type: 'string' },
  })
  caCertificate(@AuthUser() user: CurrentUser, @UuidParam() id: string): Promise<string> {
    return this.credentials.caCertificate(user, id);
  }

  @Post(':id/lock')
  @HttpCode(200)
  @ApiOkResponse({ type: ContainerDto })
  lock(@AuthUser() user: CurrentUser, @UuidParam() id: string): Promise<ContainerDto> {
    return this.containers.lock(user, id);
  }

  @Post(':id/unlock')
  @HttpCode(200)
  @ApiOkResponse({ type: ContainerDto })
  unlock(@AuthUser() user: CurrentUser, @UuidParam() id: string): Promise<ContainerDto> {
    return this.containers.unlock(user, id);
  }

  @Post(':id/owners')
  @HttpCode(200)
  @ApiOkResponse({ type: ContainerDto })
  addOwner(
    @AuthUser() user: CurrentUser,
    @UuidParam() id: string,
    @Body() dto: AddOwnerDto,
  ): Promise<ContainerDto> {
    return this.containers.addOwner(user, id, dto.userId);
  }

  @Delete(':id/owners/:userId')
  @HttpCode(200)
  @ApiOkResponse({ type: ContainerDto })
  removeOwner(
    @AuthUser() user: CurrentUser,
    @UuidParam() id: string,
    @UuidParam('userId') userId: string,
  ): Promise<ContainerDto> {
    return this.containers.removeOwner(user, id, userId);
  }
}

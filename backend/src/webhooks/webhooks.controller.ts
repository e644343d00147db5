import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { AuthUser, type CurrentUser } from '../common/current-user.js';
import { UuidParam } from '../common/uuid-param.js';
import {
  CreatedWebhookDto,
  CreateWebhookDto,
  WebhookDeliveryDto,
  WebhookDto,
} from './dto/webhook.dto.js';
import { WebhooksService } from './webhooks.service.js';

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiCreatedResponse({ type: CreatedWebhookDto, description: '`secret` is shown only here' })
  create(@AuthUser() user: CurrentUser, @Body() dto: CreateWebhookDto): Promise<CreatedWebhookDto> {
    return this.webhooks.create(user, dto);
  }

  @Get()
  @ApiOkResponse({ type: [WebhookDto] })
  list(@AuthUser() user: CurrentUser): Promise<WebhookDto[]> {
    return this.webhooks.list(user);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  delete(@AuthUser() user: CurrentUser, @UuidParam() id: string): Promise<void> {
    return this.webhooks.delete(user, id);
  }

  @Get(':id/deliveries')
  @ApiOkResponse({ type: [WebhookDeliveryDto] })
  deliveries(
    @AuthUser() user: CurrentUser,
    @UuidParam() id: string,
  ): Promise<WebhookDeliveryDto[]> {
    return this.webhooks.deliveriesOf(user, id);
  }
}

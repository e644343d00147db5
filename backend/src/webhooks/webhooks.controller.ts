import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser, type CurrentUser } from '../common/current-user.js';
import { ApiPage, Page, PageQueryDto } from '../common/pagination.js';
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
  @ApiPage(WebhookDto, 'My webhooks, oldest first')
  list(@AuthUser() user: CurrentUser, @Query() page: PageQueryDto): Promise<Page<WebhookDto>> {
    return this.webhooks.list(user, page);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  delete(@AuthUser() user: CurrentUser, @UuidParam() id: string): Promise<void> {
    return this.webhooks.delete(user, id);
  }

  @Get(':id/deliveries')
  @ApiPage(WebhookDeliveryDto, 'The deliveries kept, newest first')
  deliveries(
    @AuthUser() user: CurrentUser,
    @UuidParam() id: string,
    @Query() page: PageQueryDto,
  ): Promise<Page<WebhookDeliveryDto>> {
    return this.webhooks.deliveriesOf(user, id, page);
  }
}

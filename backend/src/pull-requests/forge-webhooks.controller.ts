import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../common/access.decorators.js';
import { ForgeWebhookAnswerDto } from './dto/pull-request-config.dto.js';
import { ForgeWebhooksService } from './forge-webhooks.service.js';

/** Where GitHub and GitLab send pull-request webhooks: no user token, the secret signs them. */
@ApiTags('pull-requests')
@Public()
@Controller('forge')
export class ForgeWebhooksController {
  constructor(private readonly webhooks: ForgeWebhooksService) {}

  @Post('github/:configId')
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: ForgeWebhookAnswerDto,
    description:
      'Signed with X-Hub-Signature-256; events pull_request opened, reopened, labeled, synchronize, closed',
  })
  github(
    @Param('configId') configId: string,
    @Req() request: Request & { rawBody?: Buffer },
  ): Promise<ForgeWebhookAnswerDto> {
    return this.webhooks.receive(
      'github',
      configId,
      request.headers,
      request.rawBody,
      request.ip ?? '',
    );
  }

  @Post('gitlab/:configId')
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: ForgeWebhookAnswerDto,
    description:
      'With X-Gitlab-Token; Merge Request Hook open, reopen, update (new commits or labels), close, merge',
  })
  gitlab(
    @Param('configId') configId: string,
    @Req() request: Request & { rawBody?: Buffer },
  ): Promise<ForgeWebhookAnswerDto> {
    return this.webhooks.receive(
      'gitlab',
      configId,
      request.headers,
      request.rawBody,
      request.ip ?? '',
    );
  }
}

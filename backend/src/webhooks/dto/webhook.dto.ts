import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  MaxLength,
  ValidateBy,
} from 'class-validator';
import { NOTIFICATION_EVENTS, type NotificationEvent } from '../../common/notification-events.js';
import { OUTBOUND_OUTCOMES, type OutboundOutcome } from '../../common/outbound-address.js';
import type { DeliveryState } from '../../database/entities/webhook-delivery.entity.js';
import type { WebhookFormat, WebhookScope } from '../../database/entities/webhook.entity.js';

/**
 * An absolute http(s) URL as WHATWG `URL` reads it: odd host spellings (`http://2130706433/`)
 * pass here, to be normalised and judged by the outbound fence with a reason.
 */
export function IsHttpUrl(): PropertyDecorator {
  return ValidateBy({
    name: 'isHttpUrl',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' &&
        ['http:', 'https:'].includes(URL.parse(value)?.protocol ?? '') &&
        URL.parse(value)?.hostname !== '',
      defaultMessage: () => 'url must be an http or https URL',
    },
  });
}

export class CreateWebhookDto {
  @ApiProperty({
    example: 'https://hooks.example.com/branchpoint',
    description:
      'Refused (400 webhook.url-refused) when its host is or resolves to a loopback, private, link-local, multicast, carrier-grade NAT or cloud metadata address, unless an admin allowed it',
  })
  @IsHttpUrl()
  @MaxLength(2048)
  url!: string;

  @ApiProperty({ enum: ['json', 'slack'] })
  @IsIn(['json', 'slack'], { message: 'format must be "json" or "slack"' })
  format!: WebhookFormat;

  @ApiProperty({ enum: NOTIFICATION_EVENTS, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(NOTIFICATION_EVENTS.length)
  @IsIn(NOTIFICATION_EVENTS, {
    each: true,
    message: `each event must be one of ${NOTIFICATION_EVENTS.join(', ')}`,
  })
  events!: NotificationEvent[];

  @ApiPropertyOptional({
    enum: ['user', 'admin'],
    default: 'user',
    description: "`admin` (admins only): every user's notifications and host events",
  })
  @IsOptional()
  @IsIn(['user', 'admin'], { message: 'scope must be "user" or "admin"' })
  scope?: WebhookScope;
}

export class WebhookDto {
  @ApiProperty() id!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ enum: ['json', 'slack'] }) format!: WebhookFormat;
  @ApiProperty({ enum: NOTIFICATION_EVENTS, isArray: true }) events!: NotificationEvent[];
  @ApiProperty({ enum: ['user', 'admin'] }) scope!: WebhookScope;
  @ApiProperty() createdAt!: Date;
}

export class CreatedWebhookDto extends WebhookDto {
  @ApiProperty({ description: 'Signing secret: returned only here, once' }) secret!: string;
}

export class WebhookDeliveryDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: NOTIFICATION_EVENTS }) event!: NotificationEvent;
  @ApiProperty({ description: 'The exact body sent' }) body!: string;
  @ApiProperty({ enum: ['pending', 'succeeded', 'failed'] }) state!: DeliveryState;
  @ApiProperty() attempts!: number;
  @ApiProperty({
    enum: OUTBOUND_OUTCOMES,
    nullable: true,
    description:
      'What became of the last attempt, as a category (null before the first); the exact status or socket error is only in the server log',
  })
  outcome!: OutboundOutcome | null;
  @ApiProperty() createdAt!: Date;
  @ApiProperty({ type: Date, nullable: true }) finishedAt!: Date | null;
}

import { Param, ParseUUIDPipe } from '@nestjs/common';
import { BadInputException } from './app.exception.js';

/** A path id that must be a UUID; anything else is a 400 naming the parameter. */
export const UuidParam = (name = 'id'): ParameterDecorator =>
  Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () =>
        new BadInputException('request.invalid', `path parameter "${name}" must be a UUID`),
    }),
  );

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether text is a UUID (checked before a uuid column is queried with it). */
export const isUuid = (text: string): boolean => UUID.test(text);

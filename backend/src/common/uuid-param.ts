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

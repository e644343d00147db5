import { BadRequestException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { ConflictException, NotFoundException, TooManyRequestsException } from './app.exception.js';
import { HttpExceptionFilter } from './http-exception.filter.js';

const filter = new HttpExceptionFilter();

describe('HttpExceptionFilter', () => {
  it('maps typed feature exceptions to their status', () => {
    expect(filter.toBody(new NotFoundException('container', 'c1'))).toEqual({
      statusCode: 404,
      error: 'Not Found',
      code: 'container.not-found',
      message: 'container c1 not found',
    });
    expect(filter.toBody(new ConflictException('container.locked', 'locked'))).toMatchObject({
      statusCode: 409,
      error: 'Conflict',
    });
    expect(
      filter.toBody(new TooManyRequestsException('auth.too-many-logins', 'slow down')),
    ).toMatchObject({
      statusCode: 429,
    });
  });

  it('joins validation messages', () => {
    const body = filter.toBody(new BadRequestException({ message: ['name is bad', 'id is bad'] }));
    expect(body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      code: 'request.invalid',
      message: 'name is bad; id is bad',
    });
  });

  it('keeps the 4xx status of body-parser errors', () => {
    const parseError = Object.assign(new Error('Unexpected token'), {
      status: 400,
      type: 'entity.parse.failed',
    });
    expect(filter.toBody(parseError)).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      code: 'request.invalid',
      message: 'request body is not valid JSON',
    });
  });

  it('answers a unique-index race with 409 and a malformed database value with 400', () => {
    const failed = (code: string) =>
      new QueryFailedError('INSERT …', [], Object.assign(new Error('db'), { code }));
    expect(filter.toBody(failed('23505'))).toMatchObject({
      statusCode: 409,
      code: 'catalog.duplicate',
    });
    expect(filter.toBody(failed('22P02'))).toMatchObject({
      statusCode: 400,
      code: 'request.invalid',
    });
    expect(filter.toBody(failed('53300'))).toMatchObject({ statusCode: 500, code: 'internal' });
  });

  it('answers 503 while the metadata database cannot be reached', () => {
    const refused = new QueryFailedError(
      'SELECT 1',
      [],
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    );
    expect(filter.toBody(refused)).toMatchObject({
      statusCode: 503,
      code: 'metadata.unavailable',
      message: expect.stringContaining('metadata database is unavailable'),
    });
    expect(filter.toBody(new Error('Connection terminated unexpectedly'))).toMatchObject({
      statusCode: 503,
    });
  });

  it('hides the details of unknown errors', () => {
    expect(filter.toBody(new Error('password=secret'))).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      code: 'internal',
      message: 'internal error',
    });
  });
});

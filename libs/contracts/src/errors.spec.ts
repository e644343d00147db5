import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ERROR_STATUS, HTTP_ERROR_NAMES, isErrorCode } from './errors.js';

describe('error codes', () => {
  it('are feature.problem in kebab case, each with a status the API names', () => {
    for (const code of ERROR_CODES) {
      expect(code).toMatch(/^[a-z]+(-[a-z]+)*\.[a-z]+(-[a-z]+)*$|^internal$/);
      expect(HTTP_ERROR_NAMES[ERROR_STATUS[code]], code).toBeDefined();
    }
  });

  it('tells codes from other strings', () => {
    expect(isErrorCode('container.locked')).toBe(true);
    expect(isErrorCode('container.lockd')).toBe(false);
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode(409)).toBe(false);
  });
});

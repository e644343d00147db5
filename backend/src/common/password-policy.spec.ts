import { describe, expect, it } from 'vitest';
import { passwordProblem } from './password-policy.js';

describe('password policy', () => {
  it('accepts a long, uncommon password', () => {
    expect(passwordProblem('correct-horse-battery', 'alice')).toBeNull();
  });

  it('refuses passwords shorter than 12 characters', () => {
    expect(passwordProblem('longenough!')).toMatch(/at least 12 characters/);
  });

  it.each(['qwerty123456', '1qaz2wsx3edc', 'Password1234', 'password!!!!2024', '123456654321'])(
    'refuses the common password %s, also with digits or symbols around it',
    (password) => {
      expect(passwordProblem(password)).toMatch(/commonly used/);
    },
  );

  it('refuses a password of few different characters', () => {
    expect(passwordProblem('abababababab')).toMatch(/5 different characters/);
  });

  it('refuses a password containing the username', () => {
    expect(passwordProblem('my-name-is-Alice-ok', 'alice')).toMatch(/username/);
  });
});

import { Validators } from '@angular/forms';

/**
 * A storage agent's certificate fingerprint as its start-up line prints it: SHA-256, 32 hex
 * pairs joined by ":" (any case); a mismatch is a `pattern` error.
 */
export const certificateFingerprint = Validators.pattern(/^\s*([0-9a-f]{2}:){31}[0-9a-f]{2}\s*$/i);

/** The typed fingerprint for the API, or nothing when the field was left empty. */
export function givenFingerprint(value: string): { fingerprint?: string } {
  const fingerprint = value.trim();
  return fingerprint ? { fingerprint } : {};
}

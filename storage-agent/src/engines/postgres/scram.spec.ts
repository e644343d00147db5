import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isScramVerifier, scramSha256Verifier } from './scram.js';

// The exchange of RFC 7677 section 3 (user "user", password "pencil").
const salt = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64');
const nonce = 'rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0';
const authMessage = `n=user,r=rOprNGfwEbeRWgbNEkqO,r=${nonce},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=${nonce}`;

describe('scramSha256Verifier', () => {
  const verifier = scramSha256Verifier('pencil', salt);
  const [, keys = ''] = verifier.split('$').slice(1);
  const [storedKey = '', serverKey = ''] = keys.split(':');

  it('has the PostgreSQL format', () => {
    expect(verifier.startsWith('SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$')).toBe(true);
    expect(isScramVerifier(verifier)).toBe(true);
  });

  it('has the ServerKey that signs the RFC 7677 exchange', () => {
    const signature = createHmac('sha256', Buffer.from(serverKey, 'base64'))
      .update(authMessage)
      .digest('base64');
    expect(signature).toBe('6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=');
  });

  it('has the StoredKey that accepts the RFC 7677 client proof', () => {
    const proof = Buffer.from('dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=', 'base64');
    const clientSignature = createHmac('sha256', Buffer.from(storedKey, 'base64'))
      .update(authMessage)
      .digest();
    const clientKey = Buffer.from(proof.map((byte, i) => byte ^ (clientSignature[i] ?? 0)));
    expect(createHash('sha256').update(clientKey).digest('base64')).toBe(storedKey);
  });

  it('salts every verifier differently', () => {
    expect(scramSha256Verifier('same')).not.toBe(scramSha256Verifier('same'));
  });
});

import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A new random secret (256 bits, base64url). Session tokens and API key secrets are these:
 * high-entropy, so a fast SHA-256 is the right stored form (a slow password hash buys nothing
 * against guessing 2^256 and would cost every request).
 *
 * @example
 * const token = newSecret(); // 43 characters
 */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** The stored form of a secret: hex SHA-256. */
export function hashSecret(secret: string): string {
  return hash('sha256', secret);
}

/** Compares two hex digests in constant time. */
export function digestsEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

import { randomBytes } from 'node:crypto';

/** 128 random bits, base64url: safe inside an HTML attribute and a CSP source without escaping. */
export function randomId(): string {
  return randomBytes(16).toString('base64url');
}

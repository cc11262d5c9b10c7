import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// The broker proves to each client that it holds the secret the client presented: the client sends a fresh
// challenge with its hello, the broker answers HMAC(secret, challenge) in its welcome. A process that took
// the socket path, or a planted descriptor's listener, cannot answer for a secret it never issued; what
// the MCP server tells the agent about the approval surface rests on this answer.

const CONTEXT = 'krr-mcp broker proof v1\n';

export function newChallenge(): string {
  return randomBytes(32).toString('hex');
}

export function brokerProof(secretHex: string, challengeHex: string): string {
  return createHmac('sha256', Buffer.from(secretHex, 'hex'))
    .update(CONTEXT)
    .update(challengeHex)
    .digest('hex');
}

/** Constant-time check of a broker's answer. */
export function isValidProof(secretHex: string, challengeHex: string, proofHex: string): boolean {
  const expected = Buffer.from(brokerProof(secretHex, challengeHex), 'hex');
  const given = Buffer.from(proofHex, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

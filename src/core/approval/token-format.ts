/**
 * The wire form of an approval token: base64url(`v1.<planId>.<expiry>.<nonce>.<mac>`).
 * Only the authority reads it; to everyone else it is opaque.
 */
export interface TokenFields {
  planId: string;
  /** Unix seconds. */
  expiry: number;
  /** 128 random bits, hex: identifies the minted token in the authority's memory. */
  nonce: string;
  /** HMAC-SHA256, hex. */
  mac: string;
}

const VERSION = 'v1';
/** Far above any real token, low enough that decoding hostile input stays cheap. */
export const MAX_TOKEN_LENGTH = 2048;
export const MAX_PLAN_ID_LENGTH = 256;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const NONCE = /^[0-9a-f]{32}$/;
const MAC = /^[0-9a-f]{64}$/;
const EXPIRY = /^[1-9][0-9]{0,11}$/;

export function encodeToken(fields: TokenFields): string {
  const text = [VERSION, fields.planId, String(fields.expiry), fields.nonce, fields.mac].join('.');
  return Buffer.from(text, 'utf8').toString('base64url');
}

/** The fields, or undefined when the text is not a well-formed v1 token. */
export function decodeToken(token: unknown): TokenFields | undefined {
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return undefined;
  if (!BASE64URL.test(token)) return undefined;
  const text = Buffer.from(token, 'base64url').toString('utf8');
  // Plan ids may contain dots, so the fixed-shape fields are taken from both ends.
  const parts = text.split('.');
  if (parts.length < 5 || parts[0] !== VERSION) return undefined;
  const mac = parts.at(-1) ?? '';
  const nonce = parts.at(-2) ?? '';
  const expiry = parts.at(-3) ?? '';
  const planId = parts.slice(1, -3).join('.');
  if (!MAC.test(mac) || !NONCE.test(nonce) || !EXPIRY.test(expiry)) return undefined;
  if (planId.length === 0 || planId.length > MAX_PLAN_ID_LENGTH) return undefined;
  return { planId, expiry: Number(expiry), nonce, mac };
}

/** The expiry (unix seconds) a token claims, for display; only redemption decides whether it holds. */
export function tokenExpiry(token: string): number | undefined {
  return decodeToken(token)?.expiry;
}

import type { JsonValue } from './canonical-json.js';

export const REDACTED = '[REDACTED]';

/** Keys whose values are secrets whatever they hold. Deliberately broad: a false positive costs a detail. */
const SECRET_KEY = /token|secret|password|authorization|bearer|api[-_]?key|cookie/i;

const BEARER = /\b(bearer)(\s+)[A-Za-z0-9\-._~+/]{8,}=*/gi;
const BASIC = /\b(basic)(\s+)([A-Za-z0-9+/]{4,}={0,2})(?![A-Za-z0-9+/=])/gi;
// Kubernetes service-account tokens and most OIDC tokens are JWTs.
const JWT = /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi;

function isBasicCredential(base64: string): boolean {
  // "basic settings" is prose; a Basic credential decodes to "user:password".
  const decoded = Buffer.from(base64, 'base64').toString('utf8');
  return /^[^\s:]*:[^\n]*$/.test(decoded) && !decoded.includes('\uFFFD');
}

/** Hides credentials inside free text (error messages, headers copied into details) but keeps the words around them. */
export function redactString(text: string): string {
  return text
    .replace(BEARER, `$1$2${REDACTED}`)
    .replace(BASIC, (match, word: string, space: string, base64: string) =>
      isBasicCredential(base64) ? `${word}${space}${REDACTED}` : match,
    )
    .replace(JWT, REDACTED)
    .replace(URL_PASSWORD, `$1${REDACTED}@`);
}

/** A copy of the value with secret-named keys and credential-looking strings replaced, at every depth. */
export function redactSecrets(value: JsonValue): JsonValue {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(redactSecrets);
  const copy: Record<string, JsonValue> = {};
  for (const [key, inner] of Object.entries(value)) {
    copy[key] = SECRET_KEY.test(key) ? REDACTED : redactSecrets(inner);
  }
  return copy;
}

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { MintedTokens } from './minted-tokens.js';
import { bindingDigests, canonicalBinding, type BindingDigests, type TokenBinding } from './token-binding.js';
import { decodeToken, encodeToken, MAX_PLAN_ID_LENGTH } from './token-format.js';

export type { BoundObject, TokenBinding } from './token-binding.js';
export { tokenExpiry } from './token-format.js';

export type RedeemFailureReason =
  'malformed' | 'forged' | 'expired' | 'replayed' | 'wrong-plan' | 'wrong-cluster' | 'stale-objects';

export type RedeemResult = { ok: true } | { ok: false; reason: RedeemFailureReason; message: string };

export const DEFAULT_TOKEN_TTL_SECONDS = 300;
/** An approval is for a change about to happen; a longer-lived token is a standing permission. */
export const MAX_TOKEN_TTL_SECONDS = 3600;

/**
 * The approval authority's token minting and redemption. The HMAC key lives only in this object's
 * memory (never written, never logged) and dies with the process: a restart invalidates every token,
 * which is the safe direction.
 *
 * `redeem` is synchronous on purpose: there is no `await` between "is it unused?" and "mark it used",
 * so two redemptions racing on the event loop cannot both succeed.
 */
export class ApprovalTokens {
  // An ECMAScript private field, not a TypeScript one: util.inspect, console.log and JSON.stringify
  // of this object cannot show it.
  readonly #key = randomBytes(32);
  private readonly minted = new MintedTokens();

  /** @param clock milliseconds since the epoch; injectable so tests can expire tokens. */
  constructor(private readonly clock: () => number = Date.now) {}

  /** An opaque token for this binding; `tokenExpiry` reads its expiry back. */
  mint(binding: TokenBinding, ttlSeconds = DEFAULT_TOKEN_TTL_SECONDS): string {
    assertMintable(binding);
    if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0 || ttlSeconds > MAX_TOKEN_TTL_SECONDS) {
      throw new RangeError(`ttlSeconds must be a whole number from 1 to ${MAX_TOKEN_TTL_SECONDS}`);
    }
    const now = this.nowSeconds();
    this.minted.forgetExpired(now);
    const expiry = now + ttlSeconds;
    const nonce = randomBytes(16).toString('hex');
    const mac = this.mac(binding, expiry, nonce);
    this.minted.add(nonce, {
      planId: binding.planId,
      expiry,
      mac,
      digests: bindingDigests(binding),
      used: false,
    });
    return encodeToken({ planId: binding.planId, expiry, nonce, mac: mac.toString('hex') });
  }

  /**
   * @param expected the binding as it is now: the plan as re-read, the live objects' uid and
   *   resourceVersion, and the cluster the write would go to.
   * @param nowMs defaults to the constructor's clock.
   */
  redeem(token: unknown, expected: TokenBinding, nowMs: number = this.clock()): RedeemResult {
    return this.verify(token, expected, nowMs, true);
  }

  /** Every check of `redeem` without using the token up (apply_recommendations with dry_run). */
  check(token: unknown, expected: TokenBinding, nowMs: number = this.clock()): RedeemResult {
    return this.verify(token, expected, nowMs, false);
  }

  private verify(token: unknown, expected: TokenBinding, nowMs: number, consume: boolean): RedeemResult {
    const now = Math.floor(nowMs / 1000);
    this.minted.forgetExpired(now);
    const fields = decodeToken(token);
    if (!fields) return refuse('malformed');
    const record = this.minted.get(fields.nonce);
    if (!record) {
      // Expired entries are forgotten, so an unknown nonce with a past expiry is most likely a real,
      // expired token; telling the agent to ask again is right either way.
      return refuse(fields.expiry <= now ? 'expired' : 'forged');
    }
    const presentedMac = Buffer.from(fields.mac, 'hex');
    if (
      !timingSafeEqual(presentedMac, record.mac) ||
      fields.planId !== record.planId ||
      fields.expiry !== record.expiry
    ) {
      return refuse('forged');
    }
    if (record.used) return refuse('replayed');
    if (record.expiry <= now) return refuse('expired');
    if (!timingSafeEqual(this.mac(expected, record.expiry, fields.nonce), presentedMac)) {
      return refuse(whichPartDiffers(record.digests, bindingDigests(expected)));
    }
    // Synchronous from the used-check to here: two concurrent redeems cannot both get past it.
    if (consume) record.used = true;
    return { ok: true };
  }

  private mac(binding: TokenBinding, expiry: number, nonce: string): Buffer {
    // Canonical JSON never holds a raw newline, so the three fields cannot run into each other.
    return createHmac('sha256', this.#key)
      .update(`${canonicalBinding(binding)}\n${expiry}\n${nonce}`, 'utf8')
      .digest();
  }

  private nowSeconds(): number {
    return Math.floor(this.clock() / 1000);
  }
}

/** Throws when no token could carry this binding (a plan id that does not fit, a value with no JSON form). */
export function assertMintable(binding: TokenBinding): void {
  if (binding.planId.length === 0 || binding.planId.length > MAX_PLAN_ID_LENGTH) {
    throw new RangeError(`planId must be 1–${MAX_PLAN_ID_LENGTH} characters`);
  }
  canonicalBinding(binding);
}

function whichPartDiffers(approved: BindingDigests, now: BindingDigests): RedeemFailureReason {
  if (approved.plan !== now.plan) return 'wrong-plan';
  if (approved.cluster !== now.cluster) return 'wrong-cluster';
  if (approved.objects !== now.objects) return 'stale-objects';
  return 'forged';
}

const ADVICE: Record<RedeemFailureReason, string> = {
  malformed:
    'The approval token is malformed. Pass the token exactly as request_confirmation returned it, or call request_confirmation again.',
  forged:
    'The approval token was not issued by this approval authority, was altered, or predates a restart of the authority (tokens live in memory only). Only a person approving the plan creates a token: call request_confirmation.',
  expired:
    'The approval token has expired. Call request_confirmation again so a person can approve the plan anew.',
  replayed:
    'The approval token was already used; a token works once. To change the cluster again, call preview_changes and then request_confirmation.',
  'wrong-plan':
    'The approval token is for a different plan, or the plan changed after it was approved. Apply the approved plan unchanged, or call request_confirmation for this plan.',
  'wrong-cluster':
    'The approval token was granted for a different cluster (API server URL or kubeconfig context). Switch back to the approved context, or call request_confirmation on this cluster.',
  'stale-objects':
    'The workloads changed in the cluster after approval (uid or resourceVersion differ). Call preview_changes again and request_confirmation for the fresh plan.',
};

function refuse(reason: RedeemFailureReason): RedeemResult {
  return { ok: false, reason, message: ADVICE[reason] };
}

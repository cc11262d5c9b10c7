import type { BindingDigests } from './token-binding.js';

/** What the authority remembers about a token it minted, until the token's expiry passes. */
export interface MintedToken {
  planId: string;
  /** Unix seconds. */
  expiry: number;
  mac: Buffer;
  digests: BindingDigests;
  used: boolean;
}

/**
 * The authority's memory of minted tokens by nonce. A used nonce must stay here until its token
 * expires (else a replay would look like a fresh token); after that the expiry check refuses the token
 * on its own, so the entry can go and memory stays bounded by the tokens minted within one TTL.
 */
export class MintedTokens {
  private readonly byNonce = new Map<string, MintedToken>();

  add(nonce: string, token: MintedToken): void {
    this.byNonce.set(nonce, token);
  }

  get(nonce: string): MintedToken | undefined {
    return this.byNonce.get(nonce);
  }

  forgetExpired(nowSeconds: number): void {
    for (const [nonce, token] of this.byNonce) {
      if (token.expiry <= nowSeconds) this.byNonce.delete(nonce);
    }
  }

  get size(): number {
    return this.byNonce.size;
  }
}

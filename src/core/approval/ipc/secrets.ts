import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export type SecretKind = 'per-spawn' | 'standing';

/** A claimed secret: the connection holds it until it closes. */
export interface SecretGrant {
  kind: SecretKind;
  release(): void;
}

interface Entry {
  secret: Buffer;
  kind: SecretKind;
  /** Standing secrets only: an open connection holds it. */
  inUse: boolean;
}

/**
 * The secrets a broker accepts. A per-spawn secret is handed to one MCP server process in its
 * environment and accepts exactly one connection, ever: a second process that learnt it cannot get in.
 *
 * A standing secret exists only for the broker descriptor file that agents outside VS Code use to find
 * the broker. It accepts any number of connections, one at a time, until revoked. Trade-off: anything
 * running as this user can read the 0600 descriptor and connect, exactly as it could read a spawned
 * server's environment; what it can reach is the approval UI, where a person still has to click, never
 * a token or a cluster write without that click. Revoke it when the descriptor is removed.
 */
export class SecretRegistry {
  // ECMAScript-private so that inspecting or serialising a broker cannot print a secret.
  readonly #entries: Entry[] = [];

  issue(kind: SecretKind): string {
    const secret = randomBytes(32);
    this.#entries.push({ secret, kind, inUse: false });
    return secret.toString('hex');
  }

  /** The grant for this secret, or undefined if it is unknown, used up or in use. */
  claim(presented: string): SecretGrant | undefined {
    const presentedBytes = Buffer.from(presented, 'hex');
    // Compare against every entry so the time taken does not reveal which secret, if any, matched.
    let match: Entry | undefined;
    for (const entry of this.#entries) {
      if (sameSecret(presentedBytes, entry.secret)) match = entry;
    }
    if (!match || match.inUse) return undefined;
    const entry = match;
    // A used per-spawn secret is forgotten, so it is refused from now on like any unknown secret.
    if (entry.kind === 'per-spawn') this.remove(entry);
    else entry.inUse = true;
    return {
      kind: entry.kind,
      release: () => {
        entry.inUse = false;
      },
    };
  }

  revoke(secret: string): void {
    const bytes = Buffer.from(secret, 'hex');
    const entry = this.#entries.find((e) => sameSecret(bytes, e.secret));
    if (entry) this.remove(entry);
  }

  private remove(entry: Entry): void {
    this.#entries.splice(this.#entries.indexOf(entry), 1);
  }
}

/** Constant-time, also when the lengths differ (timingSafeEqual throws on unequal lengths). */
function sameSecret(a: Buffer, b: Buffer): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db) && a.length === b.length;
}

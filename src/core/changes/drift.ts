// Has someone changed an object since our apply? Judged on metadata.generation, which only a change to the
// spec moves: on a real cluster the controllers write status after every rollout (a new resourceVersion),
// so comparing resourceVersions would call every rollback drift. Snapshots written before the generation
// was recorded fall back to the resourceVersion (strict, never lenient).

export interface WrittenVersion {
  generation?: number;
  resourceVersion?: string;
}

export interface LiveVersion {
  resourceVersion: string;
  generation?: number;
}

/** A sentence naming what moved, or undefined when the object is as our apply left it. */
export function driftSinceApply(live: LiveVersion, written: WrittenVersion): string | undefined {
  if (written.generation !== undefined && live.generation !== undefined) {
    return live.generation === written.generation
      ? undefined
      : `its spec changed since our apply (generation ${live.generation}, we left ${written.generation})`;
  }
  if (written.resourceVersion === undefined) return undefined;
  return live.resourceVersion === written.resourceVersion
    ? undefined
    : `it changed since our apply (resourceVersion ${live.resourceVersion}, we wrote ${written.resourceVersion})`;
}

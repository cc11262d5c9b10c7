// A Deployment's rolling-update bounds (intstr scaling, as the Deployment controller resolves them).

import type { JsonObject, KubeObject } from '../types.js';
import { spec } from './objects.js';

/** intstr scaling: a percentage of the replicas, maxSurge rounded up, maxUnavailable down; never both 0. */
export function rollingBounds(d: KubeObject, replicas: number): { maxSurge: number; maxUnavailable: number } {
  const rolling = ((spec(d).strategy as JsonObject | undefined)?.rollingUpdate ?? {}) as JsonObject;
  const scaled = (value: unknown, fallback: string, roundUp: boolean) => {
    const text = value === undefined ? fallback : String(value);
    if (!text.endsWith('%')) return Number(text);
    const exact = (Number(text.slice(0, -1)) * replicas) / 100;
    return roundUp ? Math.ceil(exact) : Math.floor(exact);
  };
  const maxSurge = scaled(rolling.maxSurge, '25%', true);
  const maxUnavailable = scaled(rolling.maxUnavailable, '25%', false);
  return maxSurge === 0 && maxUnavailable === 0
    ? { maxSurge, maxUnavailable: 1 }
    : { maxSurge, maxUnavailable };
}

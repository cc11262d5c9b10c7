import { formatRemaining } from '../shared/format.js';

/** Keeps `target` showing the time left until `expiresAt`; calls `onExpired` once when it runs out. */
export function startCountdown(target: HTMLElement, expiresAt: string, onExpired: () => void): () => void {
  const deadline = Date.parse(expiresAt);
  const tick = (): boolean => {
    const left = deadline - Date.now();
    target.textContent = formatRemaining(left);
    if (left > 0) return false;
    onExpired();
    return true;
  };
  if (tick()) return () => {};
  const timer = setInterval(() => {
    if (tick()) clearInterval(timer);
  }, 1000);
  return () => clearInterval(timer);
}

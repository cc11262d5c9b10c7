// Plain text for numbers the panel shows. Kept free of the DOM so it is tested in Node.

const MINUS = '\u2212';

function signed(value: number, text: string): string {
  if (value > 0) return `+${text}`;
  if (value < 0) return `${MINUS}${text}`;
  return text;
}

export function formatPercent(percent: number | null): string {
  if (percent === null) return '';
  return signed(percent, `${Math.abs(percent)}%`);
}

export function formatMonthlyCost(delta: number | null): string {
  if (delta === null) return 'unknown';
  return `${signed(delta, `$${Math.abs(delta).toFixed(2)}`)} / month (estimate)`;
}

export function formatQuantity(value: string | null): string {
  return value ?? 'unset';
}

export function formatPods(pods: number | 'next run'): string {
  if (pods === 'next run') return 'pods of the next run';
  return `${pods} pod(s)`;
}

/** "4:05", or "1:02:03" past an hour; "expired" at or after the deadline. */
export function formatRemaining(ms: number): string {
  if (!(ms > 0)) return 'expired';
  const total = Math.ceil(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

const RISK_CLASSES: Record<string, string> = {
  LOW: 'risk-low',
  MEDIUM: 'risk-medium',
  HIGH: 'risk-high',
  CRITICAL: 'risk-critical',
};

/** A class from a fixed list: the level is data and never becomes a class name itself. */
export function riskClass(level: string): string {
  return RISK_CLASSES[level.toUpperCase()] ?? 'risk-unknown';
}

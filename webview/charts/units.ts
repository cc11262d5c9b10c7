// Amounts as people read them in the charts' legends, axes and summaries. Pure: tested in Node.

const KiB = 1024;
const UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];

/** Two significant digits below one core ("0.041 cores"), at most two decimals above ("1.25 cores"). */
export function formatCores(cores: number): string {
  const text = String(Number(cores < 1 ? cores.toPrecision(2) : cores.toFixed(2)));
  return `${text} ${cores === 1 ? 'core' : 'cores'}`;
}

/** Binary units with three significant digits: "312 MiB", "1.25 GiB". */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= KiB && unit < UNITS.length - 1) {
    value /= KiB;
    unit++;
  }
  const text = unit === 0 ? String(Math.round(value)) : String(Number(value.toPrecision(3)));
  return `${text} ${UNITS[unit]}`;
}

/** A 0–1 share as a percentage: "34%", "0.5%". */
export function formatShare(share: number): string {
  const percent = share * 100;
  return `${percent >= 10 || percent === 0 ? Math.round(percent) : Number(percent.toPrecision(2))}%`;
}

export type Unit = 'cores' | 'bytes' | 'share';

export function formatAmount(value: number, unit: Unit): string {
  if (unit === 'cores') return formatCores(value);
  if (unit === 'bytes') return formatBytes(value);
  return formatShare(value);
}

/** An axis tick: the amount without the unit word, short ("0.5", "256 MiB" → "256Mi", "25%"). */
export function formatTick(value: number, unit: Unit): string {
  if (unit === 'cores') return String(Number(value.toPrecision(3)));
  if (unit === 'share') return formatShare(value);
  const [amount, name] = formatBytes(value).split(' ');
  return name === 'bytes' ? `${amount}` : `${amount}${name!.replace('B', '')}`;
}

/** "2024-05-01 13:04 UTC": one format, whatever the viewer's locale, so summaries read the same everywhere. */
export function formatTime(unixSeconds: number): string {
  return `${new Date(unixSeconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "14 days", "6 hours". */
export function formatDuration(seconds: number): string {
  const days = seconds / 86_400;
  if (days >= 1) {
    const rounded = Number(days.toFixed(days < 10 ? 1 : 0));
    return `${rounded} ${rounded === 1 ? 'day' : 'days'}`;
  }
  const hours = Math.max(1, Math.round(seconds / 3600));
  return `${hours} ${hours === 1 ? 'hour' : 'hours'}`;
}

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;

/** Cores as a Kubernetes quantity: "250m", or whole cores as "2". */
export function formatCpu(cores: number): string {
  const millicores = Math.round(cores * 1000);
  return millicores % 1000 === 0 ? String(millicores / 1000) : `${millicores}m`;
}

/** Bytes as a Kubernetes quantity: "2Gi" or "462Mi" when whole, else plain bytes. */
export function formatMemory(bytes: number): string {
  if (bytes % GIB === 0 && bytes > 0) return `${bytes / GIB}Gi`;
  if (bytes % MIB === 0) return `${bytes / MIB}Mi`;
  return String(Math.round(bytes));
}

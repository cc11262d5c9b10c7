// CPU seconds a process has used so far, from /proc (Linux). On a shared machine, the CPU time Prometheus
// spends on a scan varies far less than the scan's wall time, so the bench prints both.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

export function processCpuSeconds(pid: number): number | undefined {
  try {
    // The command name (field 2) may hold spaces; utime and stime are fields 14 and 15.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

/** The CPU seconds `pid` used while `work` ran (undefined where /proc is missing). */
export async function cpuDuring<T>(
  pid: number,
  work: () => Promise<T>,
): Promise<{ result: T; cpuS: number | undefined }> {
  const before = processCpuSeconds(pid);
  const result = await work();
  const after = processCpuSeconds(pid);
  return { result, cpuS: before === undefined || after === undefined ? undefined : after - before };
}

// Our scan as a user runs it: the built CLI in its own process, its wall time from spawn to exit, and its
// peak RSS from `/usr/bin/time` when installed.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CLI_PATH } from '../test/support/cli/run-cli.js';

export interface CliScan {
  stdout: string;
  stderr: string;
  wallS: number;
  rssMb: number | undefined;
  /** Prometheus queries, summed over the clusters' `-v` statistics lines. */
  queries: number;
  /** The listing phase (workloads and HPAs from the API), summed over the clusters' `-v` lines. */
  listingS: number;
}

export function runCliScan(args: string[]): Promise<CliScan> {
  if (!existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run \`npm run build\` first`);
  const timed = existsSync('/usr/bin/time');
  const [command, argv] = timed
    ? ['/usr/bin/time', ['-f', 'MAXRSS_KB=%M', process.execPath, CLI_PATH, ...args]]
    : [process.execPath, [CLI_PATH, ...args]];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command as string, argv as string[], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallS = (performance.now() - started) / 1000;
      if (code !== 0) return reject(new Error(`scan failed (${code}): ${stderr}`));
      const rss = /MAXRSS_KB=(\d+)/.exec(stderr);
      const sum = (pattern: RegExp) => [...stderr.matchAll(pattern)].reduce((n, m) => n + Number(m[1]), 0);
      resolve({
        stdout,
        stderr,
        wallS,
        rssMb: rss ? Number(rss[1]) / 1024 : undefined,
        queries: sum(/with (\d+) Prometheus queries/g),
        listingS: sum(/\(listing (\d+) ms/g) / 1000,
      });
    });
  });
}

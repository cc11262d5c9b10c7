// Runs node's test runner (with tsx for TypeScript) on every *.test.ts under the given folders.
// Node 20 has no glob support in `node --test`, so the files are listed here.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const nodeFlags = args.filter((a) => a.startsWith('--'));
const folders = args.filter((a) => !a.startsWith('--'));
const files = folders
  .flatMap((dir) => readdirSync(dir, { recursive: true }).map((f) => join(dir, String(f))))
  .filter((f) => f.endsWith('.test.ts'))
  .sort();
if (files.length === 0) {
  console.error(`no test files under ${folders.join(', ')}`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...nodeFlags, ...files], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);

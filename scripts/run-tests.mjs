// Runs node's test runner (with tsx for TypeScript) on every *.test.ts under the given folders, or on the
// given files. Node 20 has no glob support in `node --test`, so the files are listed here.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const nodeFlags = args.filter((a) => a.startsWith('--'));
const folders = args.filter((a) => !a.startsWith('--'));
const files = folders
  .flatMap((path) =>
    statSync(path).isFile()
      ? [path]
      : readdirSync(path, { recursive: true }).map((f) => join(path, String(f))),
  )
  .filter((f) => f.endsWith('.test.ts'))
  .sort();
if (files.length === 0) {
  console.error(`no test files under ${folders.join(', ')}`);
  process.exit(1);
}
// The vscode test double is resolved for `import 'vscode'` (the real module exists only inside VS Code).
const vscodeDouble = new URL('../test/support/vscode-double/register.mjs', import.meta.url).href;
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--import', vscodeDouble, '--test', ...nodeFlags, ...files],
  {
    stdio: 'inherit',
  },
);
process.exit(result.status ?? 1);

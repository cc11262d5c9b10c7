// What the npm package and the .vsix hold, file by file: test/integration/cli/package-contents.test.ts
// compares them with the lists it keeps. After a deliberate change to what ships, print the new lists
// with `node --import tsx scripts/package-contents.ts` and update the test.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_loglevel: 'error' },
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/** The files `npm pack` puts in the tarball (package/ prefix left off), sorted. */
export function npmPackageFiles(root: string): string[] {
  const [pack] = JSON.parse(run('npm', ['pack', '--dry-run', '--json'], root)) as Array<{
    files: Array<{ path: string }>;
  }>;
  return pack!.files.map((file) => file.path).sort();
}

/** The names in a zip file's central directory (a .vsix is a zip), in stored order. */
export function zipEntryNames(zip: Buffer): string[] {
  const END_OF_CENTRAL_DIRECTORY = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
  const CENTRAL_FILE_HEADER = 0x02014b50;
  const end = zip.lastIndexOf(END_OF_CENTRAL_DIRECTORY);
  if (end === -1) throw new Error('not a zip file: no end of central directory record');
  const names: string[] = [];
  let at = zip.readUInt32LE(end + 16);
  for (let entry = zip.readUInt16LE(end + 10); entry > 0; entry--) {
    if (zip.readUInt32LE(at) !== CENTRAL_FILE_HEADER) throw new Error(`no central directory header at ${at}`);
    const nameLength = zip.readUInt16LE(at + 28);
    names.push(zip.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return names;
}

/**
 * Packages the extension as `npm run package` does, minus the build (the files in dist/ are packaged as
 * they are), into a temporary file, and lists it, sorted.
 */
export function vsixFiles(root: string): string[] {
  const vsce = createRequire(join(root, 'package.json')).resolve('@vscode/vsce/vsce');
  const dir = mkdtempSync(join(tmpdir(), 'krr-mcp-vsix-'));
  try {
    const vsix = join(dir, 'krr-mcp.vsix');
    const flags = ['--allow-missing-repository', '--no-rewrite-relative-links', '--no-dependencies'];
    run(process.execPath, [vsce, 'package', ...flags, '-o', vsix], root);
    return zipEntryNames(readFileSync(vsix)).sort();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  console.log(JSON.stringify({ npm: npmPackageFiles(root), vsix: vsixFiles(root) }, null, 2));
}

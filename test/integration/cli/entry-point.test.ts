import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CLI_PATH } from '../../support/cli/run-cli.js';

// npm's bin links and `npx krr-mcp` start the CLI through a symlink named krr-mcp.
const dir = mkdtempSync(join(tmpdir(), 'krr-mcp-bin-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('the CLI runs when started through a symlink named krr-mcp', () => {
  const link = join(dir, 'krr-mcp');
  symlinkSync(CLI_PATH, link);
  const result = spawnSync(process.execPath, [link, 'version'], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^\d+\.\d+\.\d+\n$/);
});

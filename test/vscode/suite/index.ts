// The module VS Code loads as `--extensionTestsPath` (bundled to CommonJS by test/vscode/run-tests.mjs
// together with every *.test.ts beside it). VS Code awaits `run()`; a rejection fails the run.
import { runRegistered } from './harness.js';

export async function run(): Promise<void> {
  const { passed, failed } = await runRegistered();
  if (failed > 0) throw new Error(`${failed} of ${passed + failed} extension-host tests failed`);
}

// A minimal test harness for the extension host (no mocha here, and no new dependencies): test files
// register cases with `test`, and `runRegistered` runs them one after another with a timeout each,
// printing TAP-like lines that VS Code forwards to the runner's terminal.

interface TestCase {
  name: string;
  run: () => unknown;
  timeoutMs: number;
}

const registered: TestCase[] = [];

export function test(name: string, run: () => unknown, timeoutMs = 30_000): void {
  registered.push({ name, run, timeoutMs });
}

function withTimeout(work: Promise<unknown>, timeoutMs: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // The message and the first frames are enough to find the failing assertion.
  const frames = (error.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at '));
  return [error.message, ...frames.slice(0, 4)].join('\n');
}

export async function runRegistered(
  write: (line: string) => void = (line) => console.log(line),
): Promise<{ passed: number; failed: number }> {
  let passed = 0;
  let failed = 0;
  write(`1..${registered.length}`);
  for (const [index, testCase] of registered.entries()) {
    const started = Date.now();
    try {
      await withTimeout(Promise.resolve().then(testCase.run), testCase.timeoutMs);
      passed++;
      write(`ok ${index + 1} - ${testCase.name} (${Date.now() - started} ms)`);
    } catch (error) {
      failed++;
      write(`not ok ${index + 1} - ${testCase.name}`);
      for (const line of describe(error).split('\n')) write(`  # ${line}`);
    }
  }
  write(`# pass ${passed}`);
  write(`# fail ${failed}`);
  return { passed, failed };
}

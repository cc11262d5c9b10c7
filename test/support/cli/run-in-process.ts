import { main } from '../../../src/cli/main.js';
import type { CliIo } from '../../../src/cli/io.js';

export interface InProcessRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI (or one command's entry point) in this process with captured output and only the given
 * environment, plus a HOME that does not exist so that nothing of the machine's own setup is read.
 */
export async function runInProcess(
  argv: string[],
  env: NodeJS.ProcessEnv = {},
  command: (argv: string[], io: CliIo) => Promise<number> = main,
  stdin = '',
): Promise<InProcessRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { HOME: '/nonexistent-home', ...env },
    stderrIsTty: false,
    readStdin: async () => stdin,
  };
  const code = await command(argv, io);
  return { code, stdout, stderr };
}

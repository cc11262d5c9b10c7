/** The process surface a command uses, injected so tests can run commands in-process. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
  stderrIsTty: boolean;
  /** All of stdin as UTF-8 (for `-` arguments); refuses more than `maxBytes`. */
  readStdin(maxBytes: number): Promise<string>;
  /** Terminal width for tables: stdout's columns when it is a terminal, else $COLUMNS, else none. */
  stdoutColumns?: number;
  /** stderr's columns when it is a terminal: progress lines are cut to fit, or they could not be redrawn. */
  stderrColumns?: number;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    stderrIsTty: Boolean(process.stderr.isTTY),
    readStdin,
    ...terminalColumns(),
    ...(process.stderr.isTTY && process.stderr.columns > 0 ? { stderrColumns: process.stderr.columns } : {}),
  };
}

function terminalColumns(): { stdoutColumns?: number } {
  const columns = process.stdout.isTTY ? process.stdout.columns : Number(process.env.COLUMNS);
  return Number.isInteger(columns) && columns > 0 ? { stdoutColumns: columns } : {};
}

async function readStdin(maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new Error(`stdin holds more than ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

// Scratch: interactive debugging of the E2E stage (not a test).
import { execSync } from 'node:child_process';
import { startE2eEnvironment } from './e2e-environment.js';

const env = await startE2eEnvironment('debug');
try {
  await env.browser.page.waitForTimeout(3000);
  console.log(execSync(`find ${env.stateDir} ${env.codeServer.home} -maxdepth 4 | head -50`).toString());
  const pids = execSync(`pgrep -g ${env.codeServer.pid}`).toString().trim().split('\n');
  for (const pid of pids) {
    const cmd = execSync(`tr '\\0' ' ' < /proc/${pid}/cmdline`).toString().slice(0, 150);
    const e = execSync(
      `tr '\\0' '\\n' < /proc/${pid}/environ | grep -E 'KRR|KUBECONFIG|^HOME' || true`,
    ).toString();
    console.log(pid, cmd, '\n ', e.replace(/\n/g, ' '));
  }
} finally {
  await env.stop();
}

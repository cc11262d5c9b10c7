import * as vscode from 'vscode';
import { registerCommands } from './commands.js';

/** Entry point: VS Code activates the extension when one of its commands is first run. */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('krr-mcp', { log: true });
  context.subscriptions.push(log, ...registerCommands({ log }));
  log.info('krr-mcp activated');
}

export function deactivate(): void {}

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Uri } from '../../support/vscode-double/vscode.js';

/** An in-memory ExtensionContext with the parts the extension uses (Memento, SecretStorage, storage). */
export function fakeExtensionContext() {
  const state = new Map<string, unknown>();
  const secrets = new Map<string, string>();
  const storage = mkdtempSync(join(tmpdir(), 'krr-mcp-ext-'));
  return {
    subscriptions: [] as Array<{ dispose(): unknown }>,
    workspaceState: {
      get: <T>(key: string, fallback?: T) => (state.has(key) ? (state.get(key) as T) : fallback),
      update: (key: string, value: unknown) => {
        state.set(key, value);
        return Promise.resolve();
      },
      keys: () => [...state.keys()],
    },
    secrets: {
      get: (key: string) => Promise.resolve(secrets.get(key)),
      store: (key: string, value: string) => {
        secrets.set(key, value);
        return Promise.resolve();
      },
      delete: (key: string) => {
        secrets.delete(key);
        return Promise.resolve();
      },
      onDidChange: () => ({ dispose() {} }),
    },
    globalStorageUri: Uri.file(storage),
    extensionUri: Uri.file('/extension'),
    extension: { packageJSON: { version: '9.9.9' } },
    secretValues: secrets,
    storage,
  };
}

// A throw-away VS Code profile: user settings, an extensions dir holding this extension, and a workspace. The demo
// and the end-to-end tests use it so that nothing of the person's own VS Code setup is read or changed.

import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface EditorProfile {
  userDataDir: string;
  extensionsDir: string;
  workspace: string;
  /** HOME for the editor, so that it reads no dotfiles of the person's. */
  home: string;
}

/** What the .vsix holds, copied into `<extensionsDir>/<publisher>.<name>-<version>/` as VS Code installs it. */
export function installUnpackedExtension(extensionRoot: string, extensionsDir: string): string {
  const manifest = JSON.parse(readFileSync(join(extensionRoot, 'package.json'), 'utf8')) as {
    publisher: string;
    name: string;
    version: string;
  };
  const target = join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  mkdirSync(target, { recursive: true });
  for (const entry of ['package.json', 'dist', 'media', 'README.md', 'LICENSE']) {
    cpSync(join(extensionRoot, entry), join(target, entry), { recursive: true });
  }
  return target;
}

export function createEditorProfile(options: {
  dir: string;
  extensionRoot: string;
  settings: Record<string, unknown>;
  workspaceFiles: Record<string, string>;
}): EditorProfile {
  const profile: EditorProfile = {
    userDataDir: join(options.dir, 'user-data'),
    extensionsDir: join(options.dir, 'extensions'),
    workspace: join(options.dir, 'workspace'),
    home: join(options.dir, 'home'),
  };
  for (const d of [join(profile.userDataDir, 'User'), profile.extensionsDir, profile.workspace, profile.home])
    mkdirSync(d, { recursive: true });
  writeFileSync(
    join(profile.userDataDir, 'User', 'settings.json'),
    JSON.stringify(options.settings, null, 2),
  );
  for (const [file, content] of Object.entries(options.workspaceFiles)) {
    mkdirSync(dirname(join(profile.workspace, file)), { recursive: true });
    writeFileSync(join(profile.workspace, file), content);
  }
  installUnpackedExtension(options.extensionRoot, profile.extensionsDir);
  return profile;
}

import type { ExtensionAuthority } from './authority/extension-authority.js';

/** Starts the authority the first time something needs it (activation stays cheap) and only once. */
export class LazyAuthority {
  private started: Promise<ExtensionAuthority> | undefined;

  constructor(private readonly start: () => Promise<ExtensionAuthority>) {}

  get(): Promise<ExtensionAuthority> {
    this.started ??= this.start().catch((error: unknown) => {
      this.started = undefined; // a later use may succeed (e.g. after fixing the kubeconfig)
      throw error;
    });
    return this.started;
  }

  async dispose(): Promise<void> {
    const started = this.started;
    this.started = undefined;
    if (started) await (await started.catch(() => undefined))?.dispose();
  }
}

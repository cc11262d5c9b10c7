// Lit (under @vscode-elements/elements) gives each component its styles as constructable stylesheets
// (`adoptedStyleSheets`), which a CSP's style-src does not govern; VS Code's Chromium supports them. Only a
// browser without them makes Lit fall back to <style> elements, and it gives those `window.litNonce`: this
// module, imported before any component, hands it the nonce of the script that loaded the page, so that
// even that fallback stays within the nonce-only CSP instead of needing 'unsafe-inline'.

declare global {
  interface Window {
    litNonce?: string;
  }
}

const script = document.currentScript;
if (script instanceof HTMLScriptElement && script.nonce) window.litNonce = script.nonce;

export {};

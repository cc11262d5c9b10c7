// The HTML shell of the extension's panels (approval, details). It holds no data at all: names, diffs,
// reasons and histories arrive later by postMessage and are rendered as text, so nothing the agent or the
// cluster wrote can ever be parsed as HTML here. `nonce` and the panel id come from `randomId()`
// (base64url), so they need no escaping. No `vscode` import: panel-assets.ts supplies the webview's side.

/**
 * Nonce-only: no 'unsafe-inline', no 'unsafe-eval', nothing from the network. The components' styles are
 * constructable stylesheets (not governed by style-src); the charts are canvas drawn by the page's script.
 */
export function panelCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource}`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export interface PanelShell {
  /** Bundle name in dist/webview: `<page>.js` and the CSS its modules import, `<page>.css`. */
  page: 'approval' | 'details';
  title: string;
  /** The `<meta>` that hands the page its panel id. */
  idMeta: { name: string; value: string };
  /** The id of the element the page renders into. */
  mainId: string;
  loading: string;
  nonce: string;
}

/** What the shell needs from the webview: its CSP source and the URI of a file of the extension. */
export interface ShellHost {
  cspSource: string;
  asset(...path: string[]): string;
}

export function panelHtml(host: ShellHost, shell: PanelShell): string {
  const { asset } = host;
  const nonce = shell.nonce;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${panelCsp(host.cspSource, nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="${shell.idMeta.name}" content="${shell.idMeta.value}">
<link rel="stylesheet" nonce="${nonce}" href="${asset('media', 'approval.css')}">
<link rel="stylesheet" nonce="${nonce}" href="${asset('dist', 'webview', `${shell.page}.css`)}">
<title>${shell.title}</title>
</head>
<body>
<main id="${shell.mainId}" aria-live="polite"><p class="loading">${shell.loading}</p></main>
<script nonce="${nonce}" src="${asset('dist', 'webview', `${shell.page}.js`)}"></script>
</body>
</html>`;
}

// The web components the panels use, from @vscode-elements/elements (Lit): each one imported by its own
// module, so that the bundle holds these and not the whole library. Importing defines the custom elements.
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-table/index.js';
import '@vscode-elements/elements/dist/vscode-table-body/index.js';
import '@vscode-elements/elements/dist/vscode-table-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-header/index.js';
import '@vscode-elements/elements/dist/vscode-table-header-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-row/index.js';
import { element } from './dom.js';

/** A table of text cells: every cell is a text node, whatever the data holds. */
export function textTable(headers: string[], rows: string[][], className: string): HTMLElement {
  const header = element(
    'vscode-table-header',
    null,
    ...headers.map((text) => element('vscode-table-header-cell', null, text)),
  );
  header.setAttribute('slot', 'header');
  const body = element(
    'vscode-table-body',
    null,
    ...rows.map((row) =>
      element('vscode-table-row', null, ...row.map((cell) => element('vscode-table-cell', null, cell))),
    ),
  );
  body.setAttribute('slot', 'body');
  const table = element('vscode-table', className, header, body);
  table.setAttribute('zebra', '');
  table.setAttribute('bordered-rows', '');
  return table;
}

/** A section that opens and closes; its heading is set as a property and rendered by Lit as text. */
export function collapsible(
  heading: string,
  description: string,
  open: boolean,
  ...children: Array<Node | false>
) {
  const node = element('vscode-collapsible', null, ...children);
  node.heading = heading;
  node.description = description;
  node.open = open;
  return node;
}

/** Enables or disables a button for the mouse, the keyboard and assistive technology alike. */
export function setEnabled(button: HTMLElement & { disabled: boolean }, enabled: boolean): void {
  button.disabled = !enabled;
  if (enabled) button.removeAttribute('aria-disabled');
  else button.setAttribute('aria-disabled', 'true');
}

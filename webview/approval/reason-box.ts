// The agent's reason as the panel shows it: after the diff, labelled as the agent's, a few lines high, every
// invisible character visible, and the rest behind "Show all" in a box that scrolls instead of growing.
import { element } from '../shared/dom.js';
import { boundReason } from './reason-text.js';

export function reasonSection(reason: string): HTMLElement {
  const bounded = boundReason(reason);
  const text = element('div', 'reason-text', bounded.preview);
  const box = element('div', 'reason-box', text);
  // Focusable, so that a keyboard user can scroll the expanded box.
  box.tabIndex = 0;
  box.setAttribute('role', 'region');
  box.setAttribute('aria-label', 'The agent’s reason');
  const escaped =
    bounded.escaped > 0 &&
    element(
      'p',
      'reason-escapes',
      `${bounded.escaped} invisible or control character(s) in it are shown as ⟨U+…⟩.`,
    );
  const toggle =
    bounded.truncated && element('vscode-button', 'reason-toggle', `Show all (${bounded.lines} lines)`);
  if (toggle) {
    toggle.secondary = true;
    let expanded = false;
    toggle.addEventListener('click', () => {
      expanded = !expanded;
      text.textContent = expanded ? bounded.full : bounded.preview;
      box.classList.toggle('expanded', expanded);
      toggle.textContent = expanded ? 'Show less' : `Show all (${bounded.lines} lines)`;
    });
  }
  return element(
    'section',
    'agent-reason',
    element('h2', null, "The agent's reason"),
    element('p', 'caption', 'In the agent’s own words, not checked by krr-mcp:'),
    box,
    escaped,
    toggle,
  );
}

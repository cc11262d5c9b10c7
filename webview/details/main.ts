// The Recommendation Details page: asks the host for its view (`ready`), then shows it as text and charts.
// Read-only: nothing here can approve or change anything. First imports as in the approval page: zod without
// eval, Lit's nonce, the CSP listener.
import '../shared/zod-without-eval.js';
import '../shared/lit-nonce.js';
import { reportCspViolations } from '../shared/csp-violations.js';
import '../shared/elements.js';
import {
  DETAILS_PANEL_ID_META,
  DetailsHostMessageSchema,
} from '../../src/extension/approval/panel-protocol.js';
import { element } from '../shared/dom.js';
import { postToHost } from './host.js';
import { renderDetails, type RenderedDetails } from './render.js';

const panelId =
  document.querySelector(`meta[name="${DETAILS_PANEL_ID_META}"]`)?.getAttribute('content') ?? '';
const container = document.getElementById('details');

reportCspViolations((violation) => postToHost({ type: 'cspViolation', panelId, ...violation }));

let shown: RenderedDetails | undefined;

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const parsed = DetailsHostMessageSchema.safeParse(event.data);
  if (!parsed.success || parsed.data.panelId !== panelId) return;
  const message = parsed.data;
  for (const charts of shown?.charts ?? []) charts.dispose();
  shown = undefined;
  if (message.type === 'loading') {
    container?.replaceChildren(element('p', 'loading', message.what));
    return;
  }
  shown = renderDetails(message.view);
  container?.replaceChildren(shown.root);
  for (const charts of shown.charts) charts.mount();
});

postToHost({ type: 'ready', panelId });

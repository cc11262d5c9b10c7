// The HTML report's page script (inlined into the report by the CLI): reads the JSON island, checks it, and
// renders it as text and charts. It makes no request: the report's CSP forbids any, and there is none to make.
import '../shared/zod-without-eval.js';
import './report.css';
import { element } from '../shared/dom.js';
import { REPORT_DATA_ID, ReportDataSchema } from './report-data.js';
import { renderReport } from './render.js';

const target = document.getElementById('report');
const island = document.getElementById(REPORT_DATA_ID)?.textContent ?? '';

function fail(reason: string): void {
  target?.replaceChildren(element('p', 'warning', `This report cannot be shown: ${reason}`));
}

let parsed: unknown;
try {
  parsed = JSON.parse(island);
} catch {
  parsed = undefined;
}
const checked = ReportDataSchema.safeParse(parsed);
if (!checked.success) {
  fail('its data is missing or not a krr-mcp report’s.');
} else {
  const rendered = renderReport(checked.data);
  target?.replaceChildren(rendered.root);
  rendered.charts.mount();
}

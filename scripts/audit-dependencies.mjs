// `npm audit --audit-level=high` limited to what ships: the bundled packages (scripts/bundled-packages.mjs)
// and every package they depend on, found by walking package-lock.json. They are devDependencies (the
// bundles need no node_modules), so `--omit=dev` would audit nothing. An advisory service that cannot be
// reached (some registries and mirrors refuse the bulk advisory endpoint with 405) is reported, not
// mistaken for a vulnerability. Known high or critical vulnerabilities in shipped code fail the run.
import { spawnSync } from 'node:child_process';
import { shippedPaths } from './bundled-packages.mjs';

const run = spawnSync('npm', ['audit', '--audit-level=high', '--json'], { encoding: 'utf8' });
let report;
try {
  report = JSON.parse(run.stdout);
} catch {
  console.error(`npm audit printed no JSON (exit ${run.status}): ${run.stderr.trim().slice(0, 300)}`);
  process.exit(1);
}
if (report.statusCode !== undefined || (report.error && !report.metadata)) {
  console.log(
    `npm audit: the advisory service is unavailable from here (${report.message ?? 'no answer'}); dependencies not audited.`,
  );
  process.exit(0);
}
const shipped = shippedPaths();
const serious = Object.entries(report.vulnerabilities ?? {}).filter(
  ([, v]) => ['high', 'critical'].includes(v.severity) && (v.nodes ?? []).some((node) => shipped.has(node)),
);
console.log(
  `npm audit: ${shipped.size} shipped packages; ${serious.length} with high or critical advisories${serious.length ? `: ${serious.map(([name, v]) => `${name} (${v.severity})`).join(', ')}` : ''}.`,
);
process.exit(serious.length > 0 ? 1 : 0);

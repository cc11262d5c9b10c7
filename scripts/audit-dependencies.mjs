// `npm audit --omit=dev --audit-level=high`, but an advisory service that cannot be reached (some
// registries and mirrors refuse the bulk advisory endpoint with 405) is reported, not mistaken for a
// vulnerability. Known high or critical vulnerabilities in shipped dependencies fail the run.
import { spawnSync } from 'node:child_process';

const run = spawnSync('npm', ['audit', '--omit=dev', '--audit-level=high', '--json'], { encoding: 'utf8' });
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
const counts = report.metadata?.vulnerabilities ?? {};
console.log(`npm audit: ${JSON.stringify(counts)}`);
process.exit((counts.high ?? 0) + (counts.critical ?? 0) > 0 ? 1 : 0);

// The report page's script and stylesheet (webview/report, bundled by esbuild.mjs). The CLI bundle carries
// them as a build-time constant, so that dist/cli.cjs alone writes complete reports; unbundled (tests, tsx
// from the repository root) they are read from the build's output.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

declare const __KRR_REPORT_ASSETS__: ReportAssets | undefined;

export interface ReportAssets {
  script: string;
  style: string;
}

export function reportAssets(): ReportAssets {
  if (typeof __KRR_REPORT_ASSETS__ === 'object') return __KRR_REPORT_ASSETS__;
  const dir = join(process.cwd(), 'dist', 'report');
  if (!existsSync(join(dir, 'report.js')))
    throw new Error(`The HTML report's page script is not built (${dir}/report.js): run npm run build.`);
  return {
    script: readFileSync(join(dir, 'report.js'), 'utf8'),
    style: readFileSync(join(dir, 'report.css'), 'utf8'),
  };
}

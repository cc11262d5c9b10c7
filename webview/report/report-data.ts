// The report's data as the page accepts it: the CLI writes it (src/cli/formatters/html-report-data.ts), but
// a report is a file anyone can edit or forge, so the page checks it before drawing anything.
import * as z from 'zod/mini';
import { UsageChartSchema } from '../../src/extension/approval/panel-protocol.js';

const Count = z.int().check(z.gte(0));

export const ReportDataSchema = z.object({
  generatedAt: z.string(),
  strategy: z.string(),
  scoreLine: z.string(),
  severities: z.object({ CRITICAL: Count, WARNING: Count, OK: Count, GOOD: Count, UNKNOWN: Count }),
  atRisk: Count,
  containers: Count,
  charted: Count,
  warnings: z.array(z.string()),
  table: z.object({ header: z.array(z.string()), rows: z.array(z.array(z.string())) }),
  charts: z.array(UsageChartSchema),
});
export type ReportDataView = z.infer<typeof ReportDataSchema>;

/** The id of the JSON island (src/cli/formatters/html-report.ts). */
export const REPORT_DATA_ID = 'krr-report-data';

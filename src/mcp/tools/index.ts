import type { ToolDefinition } from '../tool-definition.js';
import { applyRecommendationsTool } from './apply-recommendations.js';
import { generateDocumentationTool } from './generate-documentation.js';
import { getExecutionHistoryTool } from './get-execution-history.js';
import { getSafetyReportTool } from './get-safety-report.js';
import { getVerificationTool } from './get-verification.js';
import { planManifestChangesTool } from './plan-manifest-changes.js';
import { previewChangesTool } from './preview-changes.js';
import { getToolVersionsTool } from './get-tool-versions.js';
import { healthCheckTool } from './health-check.js';
import { requestConfirmationTool } from './request-confirmation.js';
import { rollbackChangesTool } from './rollback-changes.js';
import { scanRecommendationsTool } from './scan-recommendations.js';

/** Every tool of the server, in the order an agent uses them. */
export function allTools(): ToolDefinition[] {
  const tools: ToolDefinition[] = [
    scanRecommendationsTool,
    previewChangesTool,
    planManifestChangesTool,
    requestConfirmationTool,
    applyRecommendationsTool,
    getVerificationTool,
    rollbackChangesTool,
    getSafetyReportTool,
    getExecutionHistoryTool,
    getToolVersionsTool,
    healthCheckTool,
  ];
  tools.push(generateDocumentationTool(() => tools));
  return tools;
}

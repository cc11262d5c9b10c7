// The guard rails every plan is checked against. Defaults are conservative; operators can tune them with
// environment variables, and a bad value stops the process at start rather than silently weakening a rule.

import { z } from 'zod';

function isValidRegex(pattern: string): boolean {
  try {
    new RegExp(pattern, 'i');
    return true;
  } catch {
    return false;
  }
}

const pattern = z.string().min(1).refine(isValidRegex, { message: 'is not a valid regular expression' });

export const SafetyRulesSchema = z.object({
  /** A change of a value by more than this percentage (up or down) is blocked. */
  maxChangePercent: z.number().positive().finite().default(500),
  /** Regexes (case-insensitive) on the workload name: stateful or cluster-critical software. */
  criticalWorkloadPatterns: z
    .array(pattern)
    .default(['postgres', 'mysql', 'redis', 'controller', 'operator']),
  /** Regexes (case-insensitive) on the namespace. */
  productionNamespacePatterns: z.array(pattern).default(['prod', 'production', 'live']),
  /** Refuse live changes to workloads that Argo CD, Flux or Helm manage (they would be reverted). */
  blockLiveChangesToManagedWorkloads: z.boolean().default(false),
  /** Refuse a plan when the usage behind its checks could not be read (else: HIGH risk, asked twice). */
  requireUsageEvidence: z.boolean().default(false),
});

export type SafetyRules = z.infer<typeof SafetyRulesSchema>;

export const DEFAULT_SAFETY_RULES: SafetyRules = SafetyRulesSchema.parse({});

export class SafetyRulesError extends Error {
  override name = 'SafetyRulesError';
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * Reads MAX_RESOURCE_CHANGE_PERCENT, CRITICAL_WORKLOAD_PATTERNS and PRODUCTION_NAMESPACE_PATTERNS
 * (comma-separated regexes), BLOCK_MANAGED_LIVE_CHANGES and REQUIRE_USAGE_EVIDENCE (true/false). Unset or
 * empty variables keep the defaults.
 */
export function parseSafetyRules(env: Record<string, string | undefined>): SafetyRules {
  const input: Record<string, unknown> = {};
  const max = env.MAX_RESOURCE_CHANGE_PERCENT?.trim();
  if (max) {
    if (!/^\d+(\.\d+)?$/.test(max) || !(Number(max) > 0)) {
      throw new SafetyRulesError(
        `MAX_RESOURCE_CHANGE_PERCENT must be a positive number (a percentage such as 500), got "${max}"`,
      );
    }
    input.maxChangePercent = Number(max);
  }
  for (const [variable, key] of [
    ['BLOCK_MANAGED_LIVE_CHANGES', 'blockLiveChangesToManagedWorkloads'],
    ['REQUIRE_USAGE_EVIDENCE', 'requireUsageEvidence'],
  ] as const) {
    const flag = env[variable]?.trim().toLowerCase();
    if (!flag) continue;
    if (!['true', 'false', '1', '0'].includes(flag))
      throw new SafetyRulesError(`${variable} must be true or false, got "${flag}"`);
    input[key] = flag === 'true' || flag === '1';
  }
  for (const [variable, key] of [
    ['CRITICAL_WORKLOAD_PATTERNS', 'criticalWorkloadPatterns'],
    ['PRODUCTION_NAMESPACE_PATTERNS', 'productionNamespacePatterns'],
  ] as const) {
    const raw = env[variable]?.trim();
    if (!raw) continue;
    const patterns = list(raw);
    const bad = patterns.filter((p) => !isValidRegex(p));
    if (bad.length > 0) {
      throw new SafetyRulesError(
        `${variable} must be comma-separated regular expressions; not valid: ${bad.map((b) => `"${b}"`).join(', ')}`,
      );
    }
    if (patterns.length === 0) throw new SafetyRulesError(`${variable} lists no pattern ("${raw}")`);
    input[key] = patterns;
  }
  const parsed = SafetyRulesSchema.safeParse(input);
  if (!parsed.success) {
    throw new SafetyRulesError(
      `Invalid safety rules: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}

export function matchesAny(patterns: readonly string[], text: string): string | undefined {
  return patterns.find((p) => new RegExp(p, 'i').test(text));
}

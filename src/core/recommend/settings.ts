import { z } from 'zod';
import { InvalidInputError, isInputParameter } from '../input/parameters.js';
import { describeIssue } from '../input/zod-problem.js';

// krr's StrategySettings (robusta_krr/core/abstract/strategies.py) and the two built-in strategies'
// settings, with krr's defaults and validation rules. Field names are krr's, so that the JSON output's
// `strategy.settings` reads the same for tools written against krr.

const commonShape = {
  /** Hours of history. */
  history_duration: z.number().min(1).default(336),
  /** Step in minutes (1.25 min = 75 s); also the rate() window. */
  timeframe_duration: z.number().gt(0).default(1.25),
};

const memoryShape = {
  memory_buffer_percentage: z.number().gt(0).default(15),
  points_required: z.number().int().min(1).default(100),
  allow_hpa: z.boolean().default(false),
  use_oomkill_data: z.boolean().default(false),
  oom_memory_buffer_percentage: z.number().min(0).default(25),
};

const percent = z.number().gt(0).max(100);

export const SimpleSettingsSchema = z.strictObject({
  ...commonShape,
  cpu_percentile: percent.default(95),
  ...memoryShape,
});

export const SimpleLimitSettingsSchema = z.strictObject({
  ...commonShape,
  cpu_request: percent.default(66),
  cpu_limit: percent.default(96),
  ...memoryShape,
});

export type SimpleSettings = z.infer<typeof SimpleSettingsSchema>;
export type SimpleLimitSettings = z.infer<typeof SimpleLimitSettingsSchema>;

export const STRATEGY_NAMES = ['simple', 'simple_limit'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

export type StrategyConfig =
  { name: 'simple'; settings: SimpleSettings } | { name: 'simple_limit'; settings: SimpleLimitSettings };

/** Settings shared by every strategy that the engine needs without knowing which strategy runs. */
export type CommonSettings = Pick<
  SimpleSettings,
  | 'history_duration'
  | 'timeframe_duration'
  | 'points_required'
  | 'allow_hpa'
  | 'use_oomkill_data'
  | 'memory_buffer_percentage'
  | 'oom_memory_buffer_percentage'
>;

/**
 * Parses user-supplied settings for a strategy, applying krr's defaults. A bad value throws an
 * InvalidInputError naming the setting (each surface renders it as its flag or parameter).
 */
export function parseStrategyConfig(name: StrategyName, input: Record<string, unknown>): StrategyConfig {
  const parsed =
    name === 'simple' ? SimpleSettingsSchema.safeParse(input) : SimpleLimitSettingsSchema.safeParse(input);
  if (parsed.success) return { name, settings: parsed.data } as StrategyConfig;
  const issue = parsed.error.issues[0]!;
  const field = String(issue.path[0] ?? '');
  const key = issue.code === 'unrecognized_keys' ? (issue.keys[0] ?? '') : field;
  // Callers pass only known settings; anything else is a programming error, not the user's.
  if (!isInputParameter(key)) throw new Error(`unexpected strategy setting ${key}`);
  if (issue.code === 'unrecognized_keys')
    throw new InvalidInputError(key, `does not apply to the ${name} strategy`);
  throw new InvalidInputError(key, describeIssue(issue, input[key]));
}

/** Minimums applied after rounding (krr's --cpu-min in millicores and --mem-min in MiB). */
export const ValueMinimumsSchema = z.strictObject({
  cpu_min_value: z.number().int().min(0).default(10),
  memory_min_value: z.number().int().min(0).default(100),
});
export type ValueMinimums = z.infer<typeof ValueMinimumsSchema>;

import { z } from 'zod';
import { STRATEGY_NAMES } from '../core/recommend/settings.js';

/** The extension's settings (contributes.configuration), validated before use. */
export const ExtensionSettingsSchema = z.object({
  prometheusUrl: z.union([z.literal(''), z.url({ protocol: /^https?$/ })]).default(''),
  kubeconfig: z.string().default(''),
  context: z.string().default(''),
  strategy: z.enum(STRATEGY_NAMES).default('simple'),
  namespaces: z.array(z.string()).default([]),
});
export type ExtensionSettings = z.infer<typeof ExtensionSettingsSchema>;

interface ConfigurationReader {
  get<T>(section: string): T | undefined;
}

export function readSettings(
  config: ConfigurationReader,
): { ok: true; value: ExtensionSettings } | { ok: false; error: string } {
  const raw = Object.fromEntries(
    Object.keys(ExtensionSettingsSchema.shape)
      .map((k) => [k, config.get(k)])
      .filter(([, v]) => v !== undefined),
  );
  const parsed = ExtensionSettingsSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      error: parsed.error.issues.map((i) => `krrMcp.${i.path.join('.')}: ${i.message}`).join('; '),
    };
  }
  return { ok: true, value: parsed.data };
}

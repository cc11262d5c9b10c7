import { z } from 'zod';

// The JSON `krr <strategy> -f json` prints, validated before we trust it. Unknown extra fields (newer
// krr versions) are kept; missing or mistyped fields we rely on are errors.

const value = z.union([z.number(), z.literal('?'), z.null()]);
const severity = z.enum(['CRITICAL', 'WARNING', 'OK', 'GOOD', 'UNKNOWN']);
const info = z.string().nullable();

// krr prints current allocations as numbers; its own test fixtures also use quantity strings.
const allocationValue = z.union([z.number(), z.string(), z.null()]);

export const KrrResultSchema = z
  .object({
    scans: z.array(
      z
        .object({
          object: z
            .object({
              cluster: z.string().nullable(),
              name: z.string(),
              container: z.string(),
              pods: z.array(z.object({ name: z.string(), deleted: z.boolean() })),
              hpa: z
                .object({
                  min_replicas: z.number().nullable(),
                  max_replicas: z.number(),
                  current_replicas: z.number().nullable().optional(),
                  desired_replicas: z.number().optional(),
                  target_cpu_utilization_percentage: z.number().nullable(),
                  target_memory_utilization_percentage: z.number().nullable(),
                })
                .nullable(),
              namespace: z.string(),
              kind: z.string(),
              allocations: z.object({
                requests: z.object({ cpu: allocationValue, memory: allocationValue }),
                limits: z.object({ cpu: allocationValue, memory: allocationValue }),
                info: z.record(z.string(), z.unknown()).optional(),
              }),
              warnings: z.array(z.string()).optional(),
              labels: z.record(z.string(), z.string()).nullable().optional(),
              annotations: z.record(z.string(), z.string()).nullable().optional(),
            })
            .passthrough(),
          recommended: z.object({
            requests: z.object({ cpu: z.object({ value, severity }), memory: z.object({ value, severity }) }),
            limits: z.object({ cpu: z.object({ value, severity }), memory: z.object({ value, severity }) }),
            info: z.object({ cpu: info, memory: info }),
          }),
          severity,
        })
        .passthrough(),
    ),
    score: z.number(),
    resources: z.array(z.string()),
    description: z.string().nullable().optional(),
    strategy: z.object({ name: z.string(), settings: z.record(z.string(), z.unknown()) }),
    errors: z.array(z.record(z.string(), z.unknown())).optional(),
    clusterSummary: z.record(z.string(), z.unknown()).optional(),
    config: z.record(z.string(), z.unknown()).optional(),
  })
  .passthrough();

export type KrrResult = z.infer<typeof KrrResultSchema>;

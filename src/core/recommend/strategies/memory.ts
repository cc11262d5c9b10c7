import { loaderValues, maxOfAll, sumOfFirstValues, type HistoryData } from '../history.js';
import type { ResourceRecommendation } from '../model.js';
import type { CommonSettings } from '../settings.js';

export const UNDEFINED = (info: ResourceRecommendation['info']): ResourceRecommendation => ({
  request: NaN,
  limit: NaN,
  info,
});

/**
 * The memory proposal both krr strategies share (`__calculate_memory_proposal`): request = limit =
 * max(peak × (1 + buffer), last OOMKill limit × (1 + OOM buffer)), with krr's order of checks.
 */
export function memoryRecommendation(
  history: HistoryData,
  settings: CommonSettings,
  hpaMemoryTarget: number | null,
): ResourceRecommendation {
  let oomLimit = 0;
  if (settings.use_oomkill_data) {
    const oom = loaderValues(history, 'MaxOOMKilledMemoryLoader');
    oomLimit = oom.size === 0 ? 0 : maxOfAll(oom);
  }
  const oomKillDetected = settings.use_oomkill_data && oomLimit !== 0;

  const peaks = loaderValues(history, 'MaxMemoryLoader');
  if (peaks.size === 0) return UNDEFINED('No data');
  if (sumOfFirstValues(loaderValues(history, 'MemoryAmountLoader')) < settings.points_required) {
    return UNDEFINED('Not enough data');
  }
  if (hpaMemoryTarget !== null && !settings.allow_hpa) return UNDEFINED('HPA detected');

  const peak = maxOfAll(peaks);
  const memory = Math.max(
    peak * (1 + settings.memory_buffer_percentage / 100),
    oomLimit * (1 + settings.oom_memory_buffer_percentage / 100),
  );
  return { request: memory, limit: memory, info: oomKillDetected ? 'OOMKill detected' : null };
}

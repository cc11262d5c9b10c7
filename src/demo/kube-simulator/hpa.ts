// autoscaling/v1 is served by converting the stored autoscaling/v2 object, as kube-apiserver does:
// v1 only has targetCPUUtilizationPercentage, taken from the cpu Resource metric.

import { clone, isObject, type Json, type JsonObject, type KubeObject } from './types.js';

function cpuMetricIndex(metrics: Json[]): number {
  return metrics.findIndex(
    (m) => isObject(m) && m.type === 'Resource' && isObject(m.resource) && m.resource.name === 'cpu',
  );
}

export function hpaV2ToV1(stored: KubeObject): KubeObject {
  const spec = isObject(stored.spec as Json) ? (stored.spec as JsonObject) : {};
  const status = isObject(stored.status as Json) ? (stored.status as JsonObject) : {};
  const metrics = Array.isArray(spec.metrics) ? spec.metrics : [];
  const cpu = metrics[cpuMetricIndex(metrics)];
  const target =
    isObject(cpu ?? null) && isObject((cpu as JsonObject).resource)
      ? ((cpu as JsonObject).resource as JsonObject).target
      : undefined;
  const utilization = isObject(target ?? null) ? (target as JsonObject).averageUtilization : undefined;
  const currentMetrics = Array.isArray(status.currentMetrics) ? status.currentMetrics : [];
  const currentCpu = currentMetrics[cpuMetricIndex(currentMetrics)];
  const current =
    isObject(currentCpu ?? null) && isObject((currentCpu as JsonObject).resource)
      ? (((currentCpu as JsonObject).resource as JsonObject).current as JsonObject | undefined)
          ?.averageUtilization
      : undefined;
  const v1Spec: JsonObject = {
    scaleTargetRef: spec.scaleTargetRef ?? null,
    maxReplicas: spec.maxReplicas ?? null,
  };
  if (spec.minReplicas !== undefined) v1Spec.minReplicas = spec.minReplicas;
  if (typeof utilization === 'number') v1Spec.targetCPUUtilizationPercentage = utilization;
  const v1Status: JsonObject = {
    currentReplicas: status.currentReplicas ?? 0,
    desiredReplicas: status.desiredReplicas ?? 0,
  };
  if (status.lastScaleTime !== undefined) v1Status.lastScaleTime = status.lastScaleTime;
  if (typeof current === 'number') v1Status.currentCPUUtilizationPercentage = current;
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: clone(stored.metadata),
    spec: v1Spec,
    status: v1Status,
  };
}

/** Folds a v1 object back into the stored v2 one, keeping the metrics v1 cannot express. */
export function hpaV1ToV2(v1: KubeObject, stored: KubeObject | undefined): KubeObject {
  const v1Spec = isObject(v1.spec as Json) ? (v1.spec as JsonObject) : {};
  const base = stored
    ? clone(stored)
    : { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: v1.metadata, spec: {} };
  const spec = isObject(base.spec as Json) ? (base.spec as JsonObject) : {};
  spec.scaleTargetRef = v1Spec.scaleTargetRef ?? null;
  spec.maxReplicas = v1Spec.maxReplicas ?? null;
  if (v1Spec.minReplicas !== undefined) spec.minReplicas = v1Spec.minReplicas;
  else delete spec.minReplicas;
  const metrics = Array.isArray(spec.metrics) ? [...spec.metrics] : [];
  const index = cpuMetricIndex(metrics);
  const target = v1Spec.targetCPUUtilizationPercentage;
  if (typeof target === 'number') {
    const metric: JsonObject = {
      type: 'Resource',
      resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } },
    };
    if (index >= 0) metrics[index] = metric;
    else metrics.unshift(metric);
  } else if (index >= 0) {
    metrics.splice(index, 1);
  }
  spec.metrics = metrics;
  return {
    ...base,
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: clone(v1.metadata),
    spec,
  };
}

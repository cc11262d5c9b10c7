// In-place resize of running pods (Kubernetes ≥ 1.33): support, planning, executing.
export { computeQosClass, withDefaultedRequests, type QosClass } from './qos.js';
export { detectResizeSupport, FIRST_RESIZE_MINOR, type ResizeSupport } from './resize-support.js';
export { planPodResize, podView, type PodView } from './pod-resize-plan.js';
export { attachInPlaceResize, MAX_RESIZED_PODS, planInPlaceResize } from './resize-plan.js';
export type {
  InPlaceResizePlan,
  PlannedPodResize,
  PodResizeOutcome,
  ReplicaSetAlignment,
} from './resize-model.js';
export {
  DEFAULT_RESIZE_TIMEOUT_MS,
  resizeRunningPods,
  type PodResizeResult,
  type PodResizeState,
  type PodResizeStep,
  type ResizePodsOptions,
} from './resize-executor.js';

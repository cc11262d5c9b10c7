// The usage behind a recommendation, as a person judges it at a glance: the container's CPU and memory over
// the history window at chart resolution, the values the strategy used (CPU percentile, memory peak), OOM
// kills, CPU throttling and restarts, and the risk signals drawn from them. Plain data (JSON-safe): the
// approval panel, the details panel and the HTML report render it; zod checks it where it crosses into a
// webview (src/extension/approval/panel-protocol.ts).

/** A point of a chart series: unix seconds and a value (cores, bytes, or a 0–1 ratio). */
export type SeriesPoint = [time: number, value: number];

/** Requests and limits in base units (cores, bytes); absent = not set. */
export interface ResourceLines {
  requests: { cpu?: number; memory?: number };
  limits: { cpu?: number; memory?: number };
}

export interface ContainerUsageHistory {
  /** `namespace/kind/name/container`. */
  key: string;
  namespace: string;
  kind: string;
  name: string;
  container: string;
  /** The window the series cover, and the step between their points. */
  window: { start: number; end: number; stepSeconds: number };
  cpu: {
    /** Cores: per point, the highest of the container's pods (the worst pod, as the strategy reads them). */
    series: SeriesPoint[];
    /** The percentile the strategy took (95 for simple, the request's for simple_limit), and its value. */
    percentile: number;
    percentileValue: number | null;
  };
  memory: {
    /** Working-set bytes, per point the highest of the pods. */
    series: SeriesPoint[];
    /** The peak over the window the strategy read (before its buffer), and the buffer in percent. */
    peak: number | null;
    bufferPercent: number;
  };
  /** The requests and limits the pods run with now. */
  current: ResourceLines;
  /** Unix seconds of each OOM kill in the window (from kube-state-metrics' last terminated reason). */
  oomKills: number[];
  /** Share of CFS periods throttled, per point; null where cAdvisor does not expose throttling. */
  throttling: { series: SeriesPoint[]; max: number } | null;
  /** Container restarts in the window (kube-state-metrics), and when the count went up. */
  restarts: { total: number; times: number[] } | null;
  signals: RiskSignals;
}

/** Why a container is "at risk" already, whatever the recommendation says. */
export interface RiskSignals {
  atRisk: boolean;
  oomKilled: boolean;
  /** The highest throttled share over the window (0–1), when known. */
  throttledMax: number | null;
  restarts: number;
  /** Its HPA sat at max replicas during the window. */
  hpaAtMax: boolean;
  /** One sentence per signal, for the tree's tooltip, the plan's risk reasons and the table. */
  reasons: string[];
}

/** Above this share of throttled CFS periods a container is called throttled. */
export const THROTTLING_THRESHOLD = 0.25;
/** Charts need no more points than a panel is wide. */
export const MAX_CHART_POINTS = 300;

// A Kubernetes API server simulator over real HTTP for @kubernetes/client-node, kubectl and the product.
export { startKubeSimulator } from './server.js';
export type { KubeSimulator, KubeSimulatorOptions, RecordedRequest } from './server.js';
export { fixtureObjects } from './fixture.js';
export { objectUid, ObjectStore } from './store.js';
export type { Fault } from './faults.js';
export type { RbacRule } from './rbac.js';
export { DEFAULT_USER } from './rbac.js';
export type { KubeconfigOptions } from './kubeconfig.js';
export { kubeconfigYaml } from './kubeconfig.js';
export type { KubeObject, ObjectMeta } from './types.js';
export type { Status } from './status.js';
export { SimClock } from './clock.js';
export type {
  SimBehaviour,
  SimNode,
  KubernetesVersion,
  OomKillRule,
  CrashLoopRule,
  NeverReadyRule,
  PodMatch,
} from './behaviour.js';
export type { WatchHub } from './watch.js';
export type { ControllerManager } from './controllers/manager.js';

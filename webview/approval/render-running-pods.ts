// The "Running pods" section, shown only when the request offers to resize the running pods in place: per
// workload, what "Approve and resize running pods" does to each pod. Every name and reason is text.
import type { ApprovalView } from '../../src/extension/approval/panel-protocol.js';
import { element } from '../shared/dom.js';
import { collapsible, textTable } from '../shared/elements.js';
import { workloadLabel } from './render-workloads.js';
import { workloadPods } from './running-pods-text.js';
import './running-pods.css';

export function runningPodsSection(view: ApprovalView): HTMLElement {
  return element(
    'section',
    'running-pods',
    element('h2', null, 'Running pods'),
    element(
      'p',
      'caption',
      '"Approve" changes the pod template only: Kubernetes replaces the pods (a rollout). ' +
        '"Approve and resize running pods" also resizes the running pods in place: they keep running, ' +
        'except for the container restarts listed here.',
    ),
    ...view.workloads.map(workloadSection),
  );
}

function workloadSection(workload: ApprovalView['workloads'][number]): HTMLElement {
  const pods = workloadPods(workload);
  const label = workloadLabel(workload);
  return collapsible(
    label,
    pods.offered ? 'resized in place' : 'not resized in place',
    true,
    // As in "Changes": the heading is drawn in the component's shadow DOM; this keeps the name as spelled.
    element('p', 'workload-name', label),
    element('p', pods.offered ? 'pods-headline' : 'pods-headline not-resized', pods.headline),
    pods.pods.length > 0 &&
      textTable(
        ['Pod', 'With the resize', 'QoS class', 'Why'],
        pods.pods.map((p) => [p.pod, p.what, p.qos, p.why]),
        'running-pods-table',
      ),
  );
}

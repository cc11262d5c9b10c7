import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ChangeRequestError,
  MAX_CONTAINERS_PER_WORKLOAD,
  MAX_WORKLOADS,
  parseChangeRequest,
} from '../../../../src/core/changes/change-request.js';

const workload = (containers: unknown[], name = 'web') => ({
  kind: 'Deployment',
  namespace: 'shop',
  name,
  containers,
});

function problems(input: unknown): string[] {
  try {
    parseChangeRequest(input);
  } catch (error) {
    assert.ok(error instanceof ChangeRequestError);
    return error.problems;
  }
  assert.fail('expected the request to be refused');
}

test('a valid request parses; null removes, absent leaves', () => {
  const request = parseChangeRequest({
    workloads: [
      workload([{ container: 'app', source: 'agent', requests: { cpu: '250m' }, limits: { cpu: null } }]),
    ],
  });
  assert.deepEqual(request.workloads[0]?.containers[0], {
    container: 'app',
    source: 'agent',
    requests: { cpu: '250m' },
    limits: { cpu: null },
  });
});

test('invalid quantities are refused with messages naming the field', () => {
  const found = problems({
    workloads: [
      workload([
        {
          container: 'app',
          source: 'agent',
          requests: { cpu: 'abc', memory: '-1' },
          limits: { memory: '1e309' },
        },
      ]),
    ],
  });
  assert.deepEqual(found, [
    'workloads[0].containers[0].requests.cpu: "abc" is not a Kubernetes quantity (examples: 250m, 0.5, 512Mi, 1Gi)',
    'workloads[0].containers[0].requests.memory: "-1" is negative; resources must be zero or more',
    'workloads[0].containers[0].limits.memory: "1e309" is too large',
  ]);
});

test('unknown fields, kinds, duplicates and sizes are refused', () => {
  assert.ok(
    problems({
      workloads: [workload([{ container: 'app', source: 'agent', requests: { gpu: '1' } }])],
    })[0]?.includes('requests'),
  );
  assert.ok(
    problems({
      workloads: [{ ...workload([{ container: 'app', source: 'agent' }]), kind: 'Pod' }],
    })[0]?.startsWith('workloads[0].kind'),
  );
  assert.ok(
    problems({ workloads: [workload([{ container: 'app', source: 'me' }])] })[0]?.startsWith(
      'workloads[0].containers[0].source',
    ),
  );
  assert.match(
    problems({
      workloads: [
        workload([{ container: 'app', source: 'agent' }]),
        workload([{ container: 'app', source: 'agent' }]),
      ],
    })[0]!,
    /Deployment\/shop\/web is listed twice/,
  );
  assert.match(
    problems({
      workloads: [
        workload([
          { container: 'app', source: 'agent' },
          { container: 'app', source: 'agent' },
        ]),
      ],
    })[0]!,
    /container "app" is listed twice/,
  );
  const many = Array.from({ length: MAX_WORKLOADS + 1 }, (_, i) =>
    workload([{ container: 'app', source: 'agent' }], `w${i}`),
  );
  assert.match(problems({ workloads: many })[0]!, /^workloads: /);
  const containers = Array.from({ length: MAX_CONTAINERS_PER_WORKLOAD + 1 }, (_, i) => ({
    container: `c${i}`,
    source: 'agent',
  }));
  assert.match(problems({ workloads: [workload(containers)] })[0]!, /^workloads\[0\]\.containers: /);
  assert.ok(problems({ workloads: [] }).length > 0);
});

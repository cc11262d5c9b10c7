import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  scanTemplate,
  type TemplateResources,
} from '../../../../src/core/manifests/helm/template-resources.js';

/** A Deployment template whose one container has the given lines (indented under `- name: app`). */
function template(containerLines: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "x.fullname" . }}-api
spec:
  template:
    spec:
      containers:
        - name: app
          image: x
${containerLines}`;
}

function resourcesOf(containerLines: string): TemplateResources {
  const [workload] = scanTemplate(template(containerLines));
  assert.ok(workload);
  assert.equal(workload.containers.length, 1);
  return workload.containers[0]!.resources;
}

const WHOLE = (path: string[]) => ({
  type: 'values',
  fields: {
    'requests.cpu': { path: [...path, 'requests', 'cpu'], removable: true },
    'requests.memory': { path: [...path, 'requests', 'memory'], removable: true },
    'limits.cpu': { path: [...path, 'limits', 'cpu'], removable: true },
    'limits.memory': { path: [...path, 'limits', 'memory'], removable: true },
  },
  literal: [],
});

test('the common ways to pass a values map to `resources:` are understood', () => {
  assert.deepEqual(
    resourcesOf('          resources:\n            {{- toYaml .Values.resources | nindent 12 }}\n'),
    WHOLE(['resources']),
  );
  assert.deepEqual(
    resourcesOf('          resources: {{- toYaml .Values.api.resources | nindent 12 }}\n'),
    WHOLE(['api', 'resources']),
  );
  assert.deepEqual(
    resourcesOf('          resources:\n            {{- .Values.api.resources | toYaml | nindent 12 }}\n'),
    WHOLE(['api', 'resources']),
  );
  assert.deepEqual(
    resourcesOf(
      '          {{- with .Values.api.resources }}\n          resources:\n            {{- toYaml . | nindent 12 }}\n          {{- end }}\n',
    ),
    WHOLE(['api', 'resources']),
  );
  assert.deepEqual(
    resourcesOf(
      '          {{- if .Values.resources }}\n          resources:\n            {{- toYaml .Values.resources | nindent 12 }}\n          {{- end }}\n',
    ),
    WHOLE(['resources']),
  );
  // A closed `with … end` above belongs to the key before; it does not wrap the resources.
  assert.deepEqual(
    resourcesOf(
      '          {{- with .Values.probe }}\n          livenessProbe:\n            {{- toYaml . | nindent 12 }}\n          {{- end }}\n          resources:\n            {{- toYaml .Values.resources | nindent 12 }}\n',
    ),
    WHOLE(['resources']),
  );
});

test('per-field values and per-kind maps are mapped field by field; literal values are recorded', () => {
  assert.deepEqual(
    resourcesOf(`          resources:
            requests:
              cpu: {{ .Values.api.cpu | quote }}
              memory: "{{ .Values.api.memory }}"
            limits: {{- toYaml .Values.api.limits | nindent 14 }}
`),
    {
      type: 'values',
      fields: {
        'requests.cpu': { path: ['api', 'cpu'], removable: false },
        'requests.memory': { path: ['api', 'memory'], removable: false },
        'limits.cpu': { path: ['api', 'limits', 'cpu'], removable: true },
        'limits.memory': { path: ['api', 'limits', 'memory'], removable: true },
      },
      literal: [],
    },
  );
  assert.deepEqual(resourcesOf('          resources:\n            limits:\n              cpu: 100m\n'), {
    type: 'values',
    fields: {},
    literal: ['limits.cpu'],
  });
});

test('anything more dynamic is reported with the line that is', () => {
  const reason = (lines: string) => {
    const r = resourcesOf(lines);
    return r.type === 'unsupported' ? r.reason : 'understood';
  };
  assert.equal(
    reason('          resources:\n            {{- include "x.resources" . | nindent 12 }}\n'),
    'the template is too dynamic: {{- include "x.resources" . | nindent 12 }}',
  );
  assert.equal(
    reason('          resources:\n            {{- tpl (toYaml .Values.resources) . | nindent 12 }}\n'),
    'the template is too dynamic: {{- tpl (toYaml .Values.resources) . | nindent 12 }}',
  );
  assert.equal(
    reason(
      '          resources:\n            requests:\n              cpu: {{ .Values.cpu | default "100m" }}\n',
    ),
    'the template is too dynamic: cpu: {{ .Values.cpu | default "100m" }}',
  );
  assert.equal(
    reason(
      '          {{- if .Values.big }}\n          resources:\n            {{- toYaml .Values.resources | nindent 12 }}\n          {{- end }}\n',
    ),
    'the template is too dynamic: {{- if .Values.big }}',
  );
  assert.equal(reason('          ports: []\n'), 'the template writes no resources for this container');
});

test('workloads, their names and their containers are found per document; other kinds are skipped', () => {
  const text = `apiVersion: v1
kind: Service
metadata:
  name: {{ include "x.fullname" . }}
---
${template('          resources:\n            {{- toYaml .Values.resources | nindent 12 }}\n')}        {{- if .Values.sidecar.enabled }}
        - name: "sidecar"
          resources:
            {{- toYaml .Values.sidecar.resources | nindent 12 }}
        {{- end }}
        - name: {{ .Values.extra.name }}
          image: y
      initContainers:
        - name: init
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: {{ .Release.Name }}-canary
spec:
  template:
    spec:
      containers: {{- toYaml .Values.containers | nindent 8 }}
`;
  const workloads = scanTemplate(text);
  assert.deepEqual(
    workloads.map((w) => [
      w.kind,
      w.nameText,
      w.containers.map((c) => [c.name, c.line, c.resources.type]),
      w.problem,
    ]),
    [
      [
        'Deployment',
        '{{ include "x.fullname" . }}-api',
        [
          [{ literal: 'app' }, 16, 'values'],
          [{ literal: 'sidecar' }, 20, 'values'],
          [{ dynamic: '{{ .Values.extra.name }}' }, 23, 'unsupported'],
        ],
        undefined,
      ],
      [
        'Rollout',
        '{{ .Release.Name }}-canary',
        [],
        'the template is too dynamic: containers: {{- toYaml .Values.containers | nindent 8 }}',
      ],
    ],
  );
});

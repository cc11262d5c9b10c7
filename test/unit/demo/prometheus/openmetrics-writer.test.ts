import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { OpenMetricsWriter } from '../../../../src/demo/prometheus/openmetrics-writer.js';

describe('OpenMetricsWriter', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'krr-mcp-openmetrics-test-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  test('writes families, escaped labels, whole and fractional values, seconds, and # EOF', () => {
    const path = join(scratch, 'history.om');
    const fd = openSync(path, 'w');
    const writer = new OpenMetricsWriter(fd);
    writer.family('m', 'gauge', 'Help.');
    writer.series('m_total', { a: 'x"y\\z\nw', b: '' }, 1000, 30, Float64Array.of(5, 0.25, -1, 2 ** 40), 4);
    writer.end();
    closeSync(fd);
    const series = 'm_total{a="x\\"y\\\\z\\nw",b=""}';
    assert.equal(
      readFileSync(path, 'utf8'),
      `# TYPE m gauge\n# HELP m Help.\n${series} 5 1000\n${series} 0.25 1030\n${series} -1 1060\n` +
        `${series} 1099511627776 1090\n# EOF\n`,
    );
  });
});

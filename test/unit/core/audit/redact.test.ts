import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonValue } from '../../../../src/core/audit/canonical-json.js';
import { REDACTED, redactSecrets, redactString } from '../../../../src/core/audit/redact.js';

test('values under secret-looking keys are replaced at every depth, whatever their type', () => {
  const input = {
    token: 'abc',
    approvalToken: { id: 1 },
    clientSecret: 'x',
    PASSWORD: 42,
    headers: {
      Authorization: 'Basic Zm9vOmJhcg==',
      Cookie: 'sid=1',
      'X-Api-Key': 'k',
      api_key: 'k',
      apikey: 'k',
    },
    list: [{ bearer: 'b' }, { name: 'keep' }] as JsonValue[],
    namespace: 'shop',
    count: 3,
    nothing: null,
  };
  assert.deepEqual(redactSecrets(input), {
    token: REDACTED,
    approvalToken: REDACTED,
    clientSecret: REDACTED,
    PASSWORD: REDACTED,
    headers: {
      Authorization: REDACTED,
      Cookie: REDACTED,
      'X-Api-Key': REDACTED,
      api_key: REDACTED,
      apikey: REDACTED,
    },
    list: [{ bearer: REDACTED }, { name: 'keep' }],
    namespace: 'shop',
    count: 3,
    nothing: null,
  });
  assert.equal(input.token, 'abc', 'the input is not modified');
});

test('credentials inside free text are redacted, the words around them kept', () => {
  const basic = Buffer.from('admin:hunter2').toString('base64');
  assert.equal(
    redactString('header Bearer eyJ0eXAi.abc-def_123 rejected'),
    `header Bearer ${REDACTED} rejected`,
  );
  assert.equal(redactString(`Authorization: Basic ${basic}`), `Authorization: Basic ${REDACTED}`);
  assert.equal(redactString('using basic settings'), 'using basic settings', 'prose is not a credential');
  assert.equal(redactString('missing bearer token'), 'missing bearer token');
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2EifQ.c2lnbmF0dXJlLXZhbHVl';
  assert.equal(redactString(`token was ${jwt}`), `token was ${REDACTED}`);
  assert.equal(
    redactString('GET https://user:p4ss@prometheus.example/api failed'),
    `GET https://user:${REDACTED}@prometheus.example/api failed`,
  );
  assert.deepEqual(redactSecrets({ message: `Bearer abcdefghijkl`, list: [`Basic ${basic}`] }), {
    message: `Bearer ${REDACTED}`,
    list: [`Basic ${REDACTED}`],
  });
});

const test = require('node:test');
const assert = require('node:assert');
const { handler } = require('./server');

test('answers /healthz with ok', () => {
  let status;
  let body;
  handler({ url: '/healthz' }, { writeHead: s => (status = s), end: b => (body = b) });
  assert.strictEqual(status, 200);
  assert.strictEqual(body, 'ok');
});

/*
 * Demo TLS endpoint `payments-gateway` (DEMO DATA; no dependencies): a tiny HTTPS server serving the
 * certificate servers/91-demo-tls.sh issues from the stack's local inspections CA, valid 20 days and
 * re-issued when fewer than 10 remain — so the certificate-expiry inspection always finds a serving
 * certificate that expires within 30 days, never an expired one. stack.sh restarts the server when
 * it re-issued the certificate.
 *
 * Run by deploy/dev/stack.sh with Node 22 (type stripping):
 *   node deploy/dev/src/demoTls.ts --port <port> --name payments-gateway --cert <pem> --key <pem>
 * (the port is deploy/dev/ports.sh's DEMO_TLS_PORT). Listens on 127.0.0.1: GET /healthz answers
 * "ok", any other GET a JSON description of the endpoint and its certificate.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';

function arg(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  if (v === undefined) throw new Error(`--${name} is required`);
  return v;
}

const port = Number(arg('port'));
const name = arg('name');
const cert = readFileSync(arg('cert'));
const key = readFileSync(arg('key'));
const x509 = new X509Certificate(cert);

const description = JSON.stringify({
  name,
  demoData: true,
  certificate: {
    subject: x509.subject,
    issuer: x509.issuer,
    subjectAltName: x509.subjectAltName,
    validFrom: new Date(x509.validFrom).toISOString(),
    validTo: new Date(x509.validTo).toISOString(),
  },
});

createServer({ cert, key }, (req, res) => {
  if (req.method !== 'GET') {
    res.writeHead(405, { allow: 'GET' }).end();
    return;
  }
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end(description);
}).listen(port, '127.0.0.1', () => {
  console.log(
    `${name} (demo TLS endpoint) on https://127.0.0.1:${port}, certificate valid until ${x509.validTo}`,
  );
});

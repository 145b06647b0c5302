// The HTTP floor for the benchmark's requests: fastify parsing the same JSON bodies on the same
// route and answering a verdict-shaped JSON of the same size, with no verification at all. What
// the load generator and HTTP stack cost per request on this machine, measured in the same run.
import Fastify from 'fastify';

const port = Number(process.argv[2]);
const app = Fastify({ logger: false, bodyLimit: 4 * 1024 * 1024 });
// A real answer of the service (616 bytes), with fixed values.
const answer = {
  verdict: {
    status: 'valid',
    code: 'ok',
    depth: -1,
    detail: 'path to a J-LIS root valid, not revoked, signature verified',
    revocation: {
      checked: true,
      status: 'good',
      source: {
        issuer: 'OU=Japan Agency for Local Authority Information Systems, OU=JPKI for user authentication, O=JPKI, C=JP',
        crlNumber: '01',
        thisUpdate: 1795570074000,
        nextUpdate: 1795656474000,
      },
    },
  },
  certificate: {
    kind: 'authentication',
    serial: '3c71048700000001',
    fingerprint: '84c32719b7e4e895374ab1f80edaeb8e4f99d165f1f249f21310a2c084d71e0d',
    notBefore: '2025-03-09T04:56:59.000Z',
    notAfter: '2029-05-24T14:59:59.000Z',
    issuerGeneration: 2023,
  },
};
app.post('/v1/verify/auth', async (req) => {
  const b = req.body as { certificate?: string; signature?: string; challengeId?: string };
  if (typeof b.certificate !== 'string' || typeof b.signature !== 'string' || typeof b.challengeId !== 'string') throw new Error('bad body');
  return answer;
});
app.get('/readyz', async () => ({ ready: true }));
await app.listen({ port, host: '127.0.0.1' });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));

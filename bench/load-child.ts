// One load-generator process for the HTTP benchmark: autocannon over a slice of prepared request
// bodies (one JSON body per line). Prints the autocannon summary as JSON.
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';

const [url, file, connections, rate, pipelining = '1'] = process.argv.slice(2);
const bodies = readFileSync(file, 'utf8').split('\n').filter(Boolean);
let i = 0;
const res = await autocannon({
  url,
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-api-key': 'bench-key' },
  connections: Number(connections),
  pipelining: Number(pipelining),
  amount: bodies.length,
  ...(Number(rate) > 0 ? { overallRate: Number(rate) } : {}),
  requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, body: bodies[i++ % bodies.length] }) }],
} as unknown as autocannon.Options);
console.log(JSON.stringify({ requests: res.requests.total, duration: res.duration, p50: res.latency.p50, p90: res.latency.p90, p99: res.latency.p99, non2xx: res.non2xx, errors: res.errors, timeouts: res.timeouts }));

// One load-generator process for the HTTP benchmark: autocannon over a slice of prepared request
// bodies (one JSON body per line). Prints the autocannon summary as JSON.
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';

const [url, file, connections] = process.argv.slice(2);
// Bodies as Buffers made before the run: autocannon then copies bytes instead of encoding text.
const bodies = readFileSync(file, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((b) => Buffer.from(b));
let i = 0;
const wall = (): number => performance.timeOrigin + performance.now();
const startMs = wall();
const cpu0 = process.cpuUsage();
// The window ends at the last response: autocannon itself reports only at its next 1 s tick.
let endMs = startMs;
const res = await new Promise<autocannon.Result>((resolve, reject) => {
  const run = autocannon(
    {
      url,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'bench-key' },
      connections: Number(connections),
      amount: bodies.length,
      requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, body: bodies[i++ % bodies.length] }) }],
    } as unknown as autocannon.Options,
    (err, result) => (err ? reject(err) : resolve(result)),
  );
  run.on('response', () => {
    endMs = wall();
  });
});
const cpu = process.cpuUsage(cpu0); // the generator's own CPU during the run
console.log(
  JSON.stringify({
    startMs,
    endMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    requests: res.requests.total,
    duration: res.duration,
    p50: res.latency.p50,
    p90: res.latency.p90,
    p99: res.latency.p99,
    non2xx: res.non2xx,
    errors: res.errors,
    timeouts: res.timeouts,
  }),
);

// The process logger (pino): JSON lines; bodies and headers never logged, a request line carries
// method, route and status only. Every process (API node, queue worker) builds it here.
import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from '../config/config.js';

export function createLogger(level: Config['logLevel'], destination?: DestinationStream): Logger {
  // Bodies and headers are never logged; a request line carries method, route and status only.
  return pino(
    {
      level,
      base: { service: 'jpki-verify' },
      redact: { paths: ['req.headers', 'req.body', 'res.headers'], remove: true },
      serializers: {
        req: (req: { method: string; url: string; id: string }) => ({ id: req.id, method: req.method, url: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
    destination,
  );
}

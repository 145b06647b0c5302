// The process logger (pino): JSON lines with ISO times and level names; bodies and headers never
// logged (the one request line, http/request-log.ts, carries id, method, route pattern, status).
// Every process (API node, queue worker) builds it here.
import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from '../config/config.js';

export function createLogger(level: Config['logLevel'], destination?: DestinationStream): Logger {
  // Bodies and headers are never logged; a request line carries method, route and status only.
  return pino(
    {
      level,
      base: { service: 'jpki-verify' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: ['req.headers', 'req.body', 'res.headers'], remove: true },
      serializers: {
        req: (req: { method: string; url: string; id: string }) => ({ id: req.id, method: req.method, url: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
    destination,
  );
}

// Starts a fastify instance listening and says where, as a URL (IPv6 hosts in brackets; port 0
// resolved to the port the kernel gave).
import type { FastifyInstance } from 'fastify';

export async function listenUrl(app: FastifyInstance, host: string, port: number): Promise<string> {
  await app.listen({ host, port });
  const addr = app.server.address();
  const bound = typeof addr === 'object' && addr ? addr.port : port;
  return `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
}

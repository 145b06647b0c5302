// Reads a file as a sequence of chunks (1 MiB, reused): how CRLs reach the streaming parser.
import { closeSync, openSync, readSync } from 'node:fs';

export function* fileChunks(path: string, size = 1 << 20): Generator<Uint8Array> {
  const fd = openSync(path, 'r');
  try {
    const buf = new Uint8Array(size);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n <= 0) return;
      yield buf.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

// Command and response APDUs (ISO/IEC 7816-4 §5.1), short and extended length. Short: Lc and
// Le one byte each (Le 00 means 256). Extended: Lc is 00 hi lo, Le two bytes (00 00 means 65536),
// or 00 hi lo when there is no data. The encoder picks short unless the command needs extended
// or the caller asks for it.
import { CardError } from './errors.js';

export interface Command {
  readonly cla: number;
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  readonly data?: Uint8Array;
  /** Bytes expected in the answer (Ne), 1..65536; absent when none are expected. */
  readonly ne?: number;
}

export interface Response {
  readonly data: Uint8Array;
  readonly sw: number;
}

export const SHORT_MAX_NE = 256;
export const EXTENDED_MAX_NE = 65536;

export function encodeCommand(cmd: Command, extended = false): Uint8Array {
  const nc = cmd.data?.length ?? 0;
  const ne = cmd.ne ?? 0;
  if (nc > 65535) throw new CardError('wrong_length', `command data of ${nc} bytes exceeds even extended length`);
  if (ne < 0 || ne > EXTENDED_MAX_NE || !Number.isInteger(ne)) throw new CardError('wrong_length', `Ne ${ne} is outside 1..65536`);
  const ext = extended || nc > 255 || ne > SHORT_MAX_NE;
  const out: number[] = [cmd.cla, cmd.ins, cmd.p1, cmd.p2];
  if (ext) {
    if (nc > 0) out.push(0x00, nc >> 8, nc & 0xff, ...cmd.data!);
    if (ne > 0) {
      const le = ne === EXTENDED_MAX_NE ? 0 : ne;
      if (nc === 0) out.push(0x00);
      out.push(le >> 8, le & 0xff);
    }
  } else {
    if (nc > 0) out.push(nc, ...cmd.data!);
    if (ne > 0) out.push(ne === SHORT_MAX_NE ? 0 : ne);
  }
  return Uint8Array.from(out);
}

/** Splits an answer into data and status word; fewer than two bytes is not an answer. */
export function parseResponse(bytes: Uint8Array): Response {
  if (bytes.length < 2) throw new CardError('bad_response', `an answer of ${bytes.length} bytes has no status word`);
  const n = bytes.length - 2;
  return { data: bytes.slice(0, n), sw: (bytes[n] << 8) | bytes[n + 1] };
}

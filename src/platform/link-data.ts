// J-LIS link data (証明書新旧紐付け情報 and 証明書紐付け情報) in the format this project reads and the
// simulated J-LIS writes. CSV, one record per line, serials in hex:
//
//   type,from,to
//   renewal,<old serial>,<new serial>      the certificate `from` was renewed or reissued as `to`
//   pair,<signing serial>,<auth serial>    the signing and authentication certificates of one person
//
// Blank lines and lines starting with # are ignored. JSON is the same records:
// [{"type": "renewal", "from": "…", "to": "…"}, …].
import { serialHexProblem } from '../core/serial.js';
import { TypedError } from '../core/typed-error.js';

export interface LinkRecord {
  readonly type: 'renewal' | 'pair';
  readonly from: string;
  readonly to: string;
}

export class LinkDataError extends TypedError<'bad_link_data'> {
  override readonly name = 'LinkDataError';
}

const HEX = /^[0-9a-fA-F]{1,64}$/;

/** A serial field: hex, and a serial the policy path validation applies accepts
 *  (docs/conformance.md § Serial numbers). */
function serialField(v: unknown, field: string, where: string): string {
  if (typeof v !== 'string' || !HEX.test(v)) throw new LinkDataError('bad_link_data', `${where}: ${field} must be a hex serial`);
  const problem = serialHexProblem(v);
  if (problem) throw new LinkDataError('bad_link_data', `${where}: ${field}: ${problem}`);
  return v;
}

function record(type: unknown, from: unknown, to: unknown, where: string): LinkRecord {
  if (type !== 'renewal' && type !== 'pair') throw new LinkDataError('bad_link_data', `${where}: type must be renewal or pair`);
  const f = serialField(from, 'from', where);
  const t = serialField(to, 'to', where);
  if (BigInt(`0x${f}`) === BigInt(`0x${t}`)) throw new LinkDataError('bad_link_data', `${where}: from and to are the same serial`);
  return { type, from: f, to: t };
}

export function parseLinkCsv(text: string): LinkRecord[] {
  const out: LinkRecord[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#') || /^type\s*,/i.test(line)) return;
    const f = line.split(',').map((x) => x.trim());
    if (f.length !== 3) throw new LinkDataError('bad_link_data', `line ${i + 1}: expected type,from,to`);
    out.push(record(f[0], f[1], f[2], `line ${i + 1}`));
  });
  return out;
}

export function parseLinkJson(value: unknown): LinkRecord[] {
  if (!Array.isArray(value)) throw new LinkDataError('bad_link_data', 'expected an array of {type, from, to}');
  return value.map((r, i) => {
    const o = (typeof r === 'object' && r !== null ? r : {}) as Record<string, unknown>;
    return record(o.type, o.from, o.to, `record ${i}`);
  });
}

export function formatLinkCsv(records: readonly LinkRecord[]): string {
  return `# J-LIS link data\ntype,from,to\n${records.map((r) => `${r.type},${r.from},${r.to}`).join('\n')}\n`;
}

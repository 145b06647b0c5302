// Name constraints (RFC 5280 §4.2.1.10, §6.1.3 b–c). Instead of computing intersections of
// permitted subtrees, every CA's constraints are kept and a name must satisfy each of them: the
// same result, simpler to get right. Comparisons are counted against a budget (pathological
// certificates carry thousands of names and subtrees).
import type { Certificate } from './certificate.js';
import type { GeneralSubtree } from './extensions.js';
import type { GeneralName } from './general-name.js';
import { OID_EMAIL_ADDRESS, nameValues, nameWithin } from './name.js';
import { bytesEqual } from './der.js';

export interface ConstraintSet {
  readonly permitted: readonly GeneralSubtree[] | null;
  readonly excluded: readonly GeneralSubtree[] | null;
}

export type NameCheck = { ok: true } | { ok: false; budget: boolean; detail: string };

export class ComparisonBudget {
  constructor(public remaining: number) {}
  spend(): boolean {
    return --this.remaining >= 0;
  }
}

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** A dNSName as RFC 5280 / RFC 1034 preferred syntax allows in a certificate: LDH labels, an
 *  optional leading "*." wildcard, no underscore, not an IP literal. */
export function validDnsName(name: string, allowWildcard: boolean): boolean {
  let s = name.toLowerCase();
  if (allowWildcard && s.startsWith('*.')) s = s.slice(2);
  if (s.length === 0 || s.length > 253) return false;
  const labels = s.split('.');
  if (!labels.every((l) => LABEL.test(l))) return false;
  // The last label of a host name is never all digits ("1.2.3.4" is an IP literal).
  return !/^[0-9]+$/.test(labels[labels.length - 1]);
}

/** Constraint form of a dNSName: may be empty (everything) and may not start with a dot. */
function validDnsConstraint(c: string): boolean {
  return c === '' || validDnsName(c, false);
}

function dnsWithin(name: string, constraint: string): boolean {
  const n = name.toLowerCase();
  const c = constraint.toLowerCase();
  if (c === '') return true;
  return n === c || n.endsWith('.' + c);
}

/** Mailbox syntax good enough to refuse what RFC 5280 forbids (no "@", empty parts, display
 *  names, spaces). */
export function validEmail(addr: string): boolean {
  const at = addr.lastIndexOf('@');
  if (at <= 0 || at === addr.length - 1) return false;
  const local = addr.slice(0, at);
  const host = addr.slice(at + 1);
  if (/[\s<>()[\]\\,;:"@]/.test(local)) return false;
  return validDnsName(host, false);
}

function emailMatches(addr: string, c: string): boolean {
  const at = addr.lastIndexOf('@');
  const local = addr.slice(0, at);
  const host = addr.slice(at + 1).toLowerCase();
  const cl = c.toLowerCase();
  if (c.includes('@')) {
    // A whole mailbox: local part compared exactly, host case-insensitively.
    const cat = c.lastIndexOf('@');
    return local === c.slice(0, cat) && host === c.slice(cat + 1).toLowerCase();
  }
  if (cl.startsWith('.')) return host.endsWith(cl);
  return host === cl;
}

function uriHost(uri: string): string | null {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(uri);
  if (!m || m[1] === '') return null;
  return m[1].toLowerCase();
}

function uriMatches(uri: string, c: string): boolean | null {
  const host = uriHost(uri);
  if (host === null) return null; // no authority: cannot be judged, treated as a violation
  const cl = c.toLowerCase();
  if (cl.startsWith('.')) return host.endsWith(cl);
  return host === cl;
}

/** iPAddress constraint: address then mask, 8 or 32 octets, mask a contiguous prefix. */
function validIpConstraint(b: Uint8Array): boolean {
  if (b.length !== 8 && b.length !== 32) return false;
  const half = b.length / 2;
  let zero = false;
  for (let i = half; i < b.length; i++) {
    for (let bit = 7; bit >= 0; bit--) {
      const set = (b[i] >> bit) & 1;
      if (zero && set) return false;
      if (!set) zero = true;
    }
  }
  return true;
}

function ipMatches(ip: Uint8Array, c: Uint8Array): boolean {
  const half = c.length / 2;
  if (ip.length !== half) return false;
  for (let i = 0; i < half; i++) if ((ip[i] & c[half + i]) !== (c[i] & c[half + i])) return false;
  return true;
}

/**
 * Does `name` fall within the subtree `base`? null when they are different forms (the
 * constraint does not apply). Throws nothing; malformed constraints make the check fail closed
 * through `validConstraint`.
 */
function within(name: GeneralName, base: GeneralName, excluded: boolean): boolean | null {
  if (name.kind !== base.kind) return null;
  switch (name.kind) {
    case 'dns': {
      const c = (base as { value: string }).value;
      if (name.value.startsWith('*.')) {
        const rest = name.value.slice(2);
        // A wildcard stands for any one label: excluded if some expansion could be excluded,
        // permitted only if every expansion is.
        return excluded ? dnsWithin(rest, c) || dnsWithin(c, rest) : dnsWithin(rest, c);
      }
      return dnsWithin(name.value, c);
    }
    case 'email':
      return emailMatches(name.value, (base as { value: string }).value);
    case 'uri':
      return uriMatches(name.value, (base as { value: string }).value) ?? excluded; // no host: fail closed either way
    case 'ip':
      return ipMatches(name.bytes, (base as { bytes: Uint8Array }).bytes);
    case 'dir':
      return nameWithin(name.name, (base as { name: typeof name.name }).name);
    case 'other': {
      const b = base as { typeId: string; value: Uint8Array };
      if (name.typeId !== b.typeId) return null;
      // Semantics of other-name forms are unknown here: exclusion of the type bars any value;
      // permission requires the exact value.
      return excluded ? true : bytesEqual(name.value, b.value);
    }
    default:
      // x400, edi, rid: not processed; a constraint on the same form fails closed.
      return !excluded ? false : true;
  }
}

function validConstraint(base: GeneralName): boolean {
  switch (base.kind) {
    case 'dns':
      return validDnsConstraint(base.value);
    case 'ip':
      return validIpConstraint(base.bytes);
    default:
      return true;
  }
}

/** The names of a certificate that constraints apply to (§6.1.3 b–c). */
export function constrainedNames(cert: Certificate): GeneralName[] {
  const out: GeneralName[] = [];
  if (cert.subject.rdns.length > 0) out.push({ kind: 'dir', name: cert.subject });
  for (const e of nameValues(cert.subject, OID_EMAIL_ADDRESS)) out.push({ kind: 'email', value: e });
  if (cert.extensions.subjectAltName) out.push(...cert.extensions.subjectAltName);
  return out;
}

/** Checks every name of `cert` against every constraint set (one per CA above it). */
export function checkNameConstraints(cert: Certificate, sets: readonly ConstraintSet[], budget: ComparisonBudget): NameCheck {
  if (sets.length === 0) return { ok: true };
  const names = constrainedNames(cert);
  for (const set of sets) {
    for (const name of names) {
      if (set.excluded) {
        for (const st of set.excluded) {
          if (!budget.spend()) return { ok: false, budget: true, detail: 'name constraint comparison budget exhausted' };
          if (!validConstraint(st.base)) return { ok: false, budget: false, detail: `malformed ${st.base.kind} constraint` };
          if (within(name, st.base, true) === true) return { ok: false, budget: false, detail: `${name.kind} name is in an excluded subtree` };
        }
      }
      if (set.permitted) {
        let applies = false;
        let matched = false;
        for (const st of set.permitted) {
          if (!budget.spend()) return { ok: false, budget: true, detail: 'name constraint comparison budget exhausted' };
          if (!validConstraint(st.base)) return { ok: false, budget: false, detail: `malformed ${st.base.kind} constraint` };
          const w = within(name, st.base, false);
          if (w === null) continue;
          applies = true;
          if (w) {
            matched = true;
            break;
          }
        }
        if (applies && !matched) return { ok: false, budget: false, detail: `${name.kind} name is outside the permitted subtrees` };
      }
    }
  }
  return { ok: true };
}

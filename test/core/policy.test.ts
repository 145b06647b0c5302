// core/policy.ts directly: the valid_policy_tree of RFC 5280 §6.1.2–6.1.5 over certificates built
// here, ordered from the certificate below the anchor down to the end entity.
import { describe, expect, it } from 'vitest';
import { parseCertificate, type Certificate } from '../../src/core/certificate.js';
import { ANY_POLICY } from '../../src/core/extensions.js';
import { processPolicies, type PolicyInputs } from '../../src/core/policy.js';
import { certificate, dn, ext, makeKey, type Der } from '../helpers/x509.js';

const NOW = Date.parse('2026-03-01T00:00:00Z');
const key = makeKey({ kind: 'ec', curve: 'P-256' });
const P1 = '1.3.6.1.4.1.55555.1.1';
const P2 = '1.3.6.1.4.1.55555.1.2';
const P3 = '1.3.6.1.4.1.55555.1.3';

let n = 0;
/** A certificate named `subject` issued by `issuer` (same name: self-issued) with `exts`. */
function cert(exts: Der[], o: { issuer?: string; subject?: string } = {}): Certificate {
  const subject = o.subject ?? `C${++n}`;
  return parseCertificate(
    certificate({
      issuer: dn(['CN', o.issuer ?? `I${n}`]),
      subject: dn(['CN', subject]),
      notBefore: NOW,
      notAfter: NOW + 1000,
      key,
      signer: key,
      extensions: exts,
    }),
  );
}

const defaults: PolicyInputs = {
  initialPolicies: [ANY_POLICY],
  initialExplicitPolicy: false,
  initialPolicyMappingInhibit: false,
  initialAnyPolicyInhibit: false,
  maxNodes: 1000,
};
const run = (path: Certificate[], inputs: Partial<PolicyInputs> = {}) => processPolicies(path, { ...defaults, ...inputs });

describe('processPolicies', () => {
  it('no policies anywhere: valid unless an explicit policy is required', () => {
    const path = [cert([]), cert([])];
    expect(run(path)).toEqual({ ok: true, policies: [] });
    expect(run(path, { initialExplicitPolicy: true })).toMatchObject({ ok: false, budget: false });
  });

  it('a policy asserted all the way down is the outcome; a gap anywhere empties the tree', () => {
    expect(run([cert([ext.policies([P1, P2])]), cert([ext.policies([P1])])])).toEqual({ ok: true, policies: [P1] });
    const gap = [cert([ext.policies([P1])]), cert([]), cert([ext.policies([P1])])];
    expect(run(gap)).toEqual({ ok: true, policies: [] });
    expect(run(gap, { initialExplicitPolicy: true })).toMatchObject({ ok: false, depth: 1 });
  });

  it('anyPolicy in a CA stands for whatever the end entity asserts', () => {
    expect(run([cert([ext.policies([ANY_POLICY])]), cert([ext.policies([P3])])], { initialExplicitPolicy: true })).toEqual({ ok: true, policies: [P3] });
  });

  it('the user-initial-policy-set constrains the outcome (§6.1.5 (g))', () => {
    const path = [cert([ext.policies([P1, P2])]), cert([ext.policies([P1, P2])])];
    expect(run(path, { initialPolicies: [P2] })).toEqual({ ok: true, policies: [P2] });
    expect(run(path, { initialPolicies: [P3] })).toEqual({ ok: true, policies: [] });
    expect(run(path, { initialPolicies: [P3], initialExplicitPolicy: true })).toMatchObject({ ok: false, depth: 0 });
    // An anyPolicy leaf under an anyPolicy chain is replaced by the user's policies.
    expect(run([cert([ext.policies([ANY_POLICY])]), cert([ext.policies([ANY_POLICY])])], { initialPolicies: [P3] })).toEqual({ ok: true, policies: [P3] });
  });

  it('policy mappings: the subject domain policy is accepted where the user asked for the issuer domain one', () => {
    const path = [cert([ext.policies([P1]), ext.policyMappings([[P1, P2]])]), cert([ext.policies([P2])])];
    // The end entity's node is P2 (§6.1.3 (d)(1)(i)), under the P1 node the user accepted.
    expect(run(path, { initialPolicies: [P1], initialExplicitPolicy: true })).toEqual({ ok: true, policies: [P2] });
    expect(run(path, { initialPolicies: [P3], initialExplicitPolicy: true })).toMatchObject({ ok: false });
    // Mapping inhibited from the start: the mapped node is deleted and nothing is left.
    expect(run(path, { initialPolicies: [P1], initialExplicitPolicy: true, initialPolicyMappingInhibit: true })).toMatchObject({ ok: false });
  });

  it('refuses a mapping to or from anyPolicy (§6.1.4 (a))', () => {
    for (const m of [
      [ANY_POLICY, P1],
      [P1, ANY_POLICY],
    ] as [string, string][]) {
      expect(run([cert([ext.policies([P1]), ext.policyMappings([m])]), cert([ext.policies([P1])])])).toMatchObject({ ok: false, detail: /anyPolicy/ });
    }
  });

  it('policyConstraints requireExplicitPolicy counts certificates, self-issued ones excepted', () => {
    const ca = (skip: number): Certificate => cert([ext.policies([P1]), ext.policyConstraints(skip, null)]);
    // explicit_policy becomes `skip` after the CA and drops by one per certificate below it,
    // the end entity's wrap-up included (§6.1.4 (h)(i), §6.1.5 (a)): two below need skip 3.
    expect(run([ca(2), cert([]), cert([])])).toMatchObject({ ok: false, depth: 0 });
    expect(run([ca(3), cert([]), cert([])])).toEqual({ ok: true, policies: [] });
    // A self-issued intermediate does not count.
    expect(run([ca(2), cert([], { issuer: 'same', subject: 'same' }), cert([])])).toEqual({ ok: true, policies: [] });
    // requireExplicitPolicy 0 in the end entity itself (§6.1.5 (b)).
    expect(run([cert([]), cert([ext.policyConstraints(0, null)])])).toMatchObject({ ok: false });
  });

  it('inhibitAnyPolicy: anyPolicy stops matching after the skip count', () => {
    const path = (skip: number) => [
      cert([ext.policies([ANY_POLICY]), ext.inhibitAnyPolicy(skip)]),
      cert([ext.policies([ANY_POLICY])]),
      cert([ext.policies([P1])]),
    ];
    expect(run(path(0), { initialExplicitPolicy: true })).toMatchObject({ ok: false });
    expect(run(path(1), { initialExplicitPolicy: true })).toEqual({ ok: true, policies: [P1] });
    expect(run(path(1), { initialExplicitPolicy: true, initialAnyPolicyInhibit: true })).toMatchObject({ ok: false });
  });

  it('policyConstraints inhibitPolicyMapping deletes mapped policies below it', () => {
    const path = [
      cert([ext.policies([P1]), ext.policyConstraints(null, 0)]),
      cert([ext.policies([P1]), ext.policyMappings([[P1, P2]])]),
      cert([ext.policies([P2])]),
    ];
    expect(run(path, { initialExplicitPolicy: true })).toMatchObject({ ok: false });
  });

  it('the tree size is capped (CVE-2023-0464 shaped chains)', () => {
    const many = Array.from({ length: 30 }, (_, i) => `1.3.6.1.4.1.55555.9.${i}`);
    const maps = many.flatMap((a) => many.slice(0, 5).map((b) => [a, b] as [string, string]));
    const path = [cert([ext.policies(many), ext.policyMappings(maps)]), cert([ext.policies(many), ext.policyMappings(maps)]), cert([ext.policies(many)])];
    expect(run(path, { maxNodes: 50 })).toMatchObject({ ok: false, budget: true });
    expect(run(path).ok).toBe(true);
  });
});

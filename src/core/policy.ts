// Certificate policy processing: the valid_policy_tree of RFC 5280 §6.1.2–6.1.5, with policy
// mapping, requireExplicitPolicy, inhibitPolicyMapping and inhibitAnyPolicy. The tree is kept as
// one array of nodes per depth; its size is capped because crafted chains can make it explode
// (CVE-2023-0464).
import type { Certificate } from './certificate.js';
import { ANY_POLICY } from './extensions.js';

interface PolicyNode {
  validPolicy: string;
  expected: Set<string>;
  parent: PolicyNode | null;
  children: number;
  deleted: boolean;
}

export interface PolicyInputs {
  /** user-initial-policy-set; [anyPolicy] accepts any. */
  readonly initialPolicies: readonly string[];
  readonly initialExplicitPolicy: boolean;
  readonly initialPolicyMappingInhibit: boolean;
  readonly initialAnyPolicyInhibit: boolean;
  /** Most nodes the tree may hold. */
  readonly maxNodes: number;
}

export type PolicyResult =
  | { ok: true; policies: string[] } // the user-constrained policy set (empty when unconstrained tree is null and not required)
  | { ok: false; depth: number; budget: boolean; detail: string };

/** Runs policy processing over `path` ordered from the certificate below the anchor (index 0)
 *  down to the end entity (index n-1). */
export function processPolicies(path: readonly Certificate[], inputs: PolicyInputs): PolicyResult {
  const n = path.length;
  let explicitPolicy = inputs.initialExplicitPolicy ? 0 : n + 1;
  let inhibitAny = inputs.initialAnyPolicyInhibit ? 0 : n + 1;
  let policyMapping = inputs.initialPolicyMappingInhibit ? 0 : n + 1;
  let nodes = 1;
  const root: PolicyNode = { validPolicy: ANY_POLICY, expected: new Set([ANY_POLICY]), parent: null, children: 0, deleted: false };
  let levels: PolicyNode[][] | null = [[root]];
  const eeDepth = (i: number): number => n - 1 - i; // report depth as distance from the end entity

  const add = (level: PolicyNode[], parent: PolicyNode, policy: string, expected: Set<string>): boolean => {
    if (++nodes > inputs.maxNodes) return false;
    level.push({ validPolicy: policy, expected, parent, children: 0, deleted: false });
    parent.children++;
    return true;
  };
  const del = (node: PolicyNode): void => {
    node.deleted = true;
    if (node.parent) node.parent.children--;
  };
  // Deletes childless nodes above `depth`, bottom-up; returns false when the root goes.
  const prune = (lv: PolicyNode[][], depth: number): boolean => {
    for (let d = depth - 1; d >= 0; d--) {
      for (const node of lv[d]) if (!node.deleted && node.children === 0) del(node);
      lv[d] = lv[d].filter((x) => !x.deleted);
    }
    return lv[0].length > 0;
  };
  const overBudget = (i: number): PolicyResult => ({ ok: false, depth: eeDepth(i), budget: true, detail: 'policy tree too large' });

  for (let i = 0; i < n; i++) {
    const cert = path[i];
    const ext = cert.extensions;
    const isLast = i === n - 1;
    const pols = ext.certificatePolicies;
    // (d) / (e)
    if (pols && levels) {
      const prev: PolicyNode[] = levels[i];
      const level: PolicyNode[] = [];
      let anyQualifier = false;
      for (const p of pols) {
        if (p.oid === ANY_POLICY) {
          anyQualifier = true;
          continue;
        }
        let matched = false;
        for (const node of prev) {
          if (node.expected.has(p.oid)) {
            matched = true;
            if (!add(level, node, p.oid, new Set([p.oid]))) return overBudget(i);
          }
        }
        if (!matched) {
          for (const node of prev) {
            if (node.validPolicy === ANY_POLICY && !add(level, node, p.oid, new Set([p.oid]))) return overBudget(i);
          }
        }
      }
      if (anyQualifier && (inhibitAny > 0 || (!isLast && cert.selfIssued))) {
        for (const node of prev) {
          const have = new Set(level.filter((c) => c.parent === node).map((c) => c.validPolicy));
          for (const v of node.expected) {
            if (!have.has(v) && !add(level, node, v, new Set([v]))) return overBudget(i);
          }
        }
      }
      levels.push(level);
      if (!prune(levels, i + 1)) levels = null;
    } else {
      levels = null;
    }
    // (f)
    if (explicitPolicy <= 0 && !levels) {
      return { ok: false, depth: eeDepth(i), budget: false, detail: 'an explicit policy is required and none is valid' };
    }
    if (isLast) break;

    // §6.1.4 (a)(b): policy mappings
    const maps = ext.policyMappings;
    if (maps) {
      if (maps.some((m) => m.issuerDomain === ANY_POLICY || m.subjectDomain === ANY_POLICY)) {
        return { ok: false, depth: eeDepth(i), budget: false, detail: 'policy mapping to or from anyPolicy' };
      }
      if (levels) {
        const level = levels[i + 1];
        const byIssuer = new Map<string, Set<string>>();
        for (const m of maps) {
          let s = byIssuer.get(m.issuerDomain);
          if (!s) byIssuer.set(m.issuerDomain, (s = new Set()));
          s.add(m.subjectDomain);
        }
        if (policyMapping > 0) {
          for (const [idp, subjects] of byIssuer) {
            let found = false;
            for (const node of level) {
              if (node.validPolicy === idp) {
                node.expected = new Set(subjects);
                found = true;
              }
            }
            if (!found) {
              const anyNode = level.find((x) => x.validPolicy === ANY_POLICY);
              if (anyNode && anyNode.parent && !add(level, anyNode.parent, idp, new Set(subjects))) return overBudget(i);
            }
          }
        } else {
          for (const node of level) if (byIssuer.has(node.validPolicy)) del(node);
          levels[i + 1] = level.filter((x) => !x.deleted);
          if (!prune(levels, i + 1)) levels = null;
        }
      }
    }
    // (h) (i) (j)
    if (!cert.selfIssued) {
      if (explicitPolicy > 0) explicitPolicy--;
      if (policyMapping > 0) policyMapping--;
      if (inhibitAny > 0) inhibitAny--;
    }
    const pc = ext.policyConstraints;
    if (pc) {
      if (pc.requireExplicitPolicy !== null) explicitPolicy = Math.min(explicitPolicy, pc.requireExplicitPolicy);
      if (pc.inhibitPolicyMapping !== null) policyMapping = Math.min(policyMapping, pc.inhibitPolicyMapping);
    }
    if (ext.inhibitAnyPolicy !== null) inhibitAny = Math.min(inhibitAny, ext.inhibitAnyPolicy);
  }

  // §6.1.5 wrap-up for the end entity.
  const ee = path[n - 1].extensions;
  if (explicitPolicy > 0) explicitPolicy--;
  if (ee.policyConstraints?.requireExplicitPolicy === 0) explicitPolicy = 0;

  const initial = new Set(inputs.initialPolicies);
  let finalPolicies: string[] = [];
  if (levels) {
    if (!initial.has(ANY_POLICY)) {
      // (g)(iii): keep only the valid_policy_node_set members the user accepts.
      const inNodeSet = (node: PolicyNode): boolean => node.parent !== null && node.parent.validPolicy === ANY_POLICY && isAnyChain(node.parent);
      for (let d = 1; d <= n; d++) {
        for (const node of levels[d]) {
          if (inNodeSet(node) && node.validPolicy !== ANY_POLICY && !initial.has(node.validPolicy)) deleteSubtree(levels, node, d);
        }
        levels[d] = levels[d].filter((x) => !x.deleted);
      }
      const anyLeaf = levels[n].find((x) => x.validPolicy === ANY_POLICY && !x.deleted);
      if (anyLeaf && anyLeaf.parent) {
        const have = new Set(levels[n].map((x) => x.validPolicy));
        for (const p of initial) {
          if (!have.has(p) && !add(levels[n], anyLeaf.parent, p, new Set([p]))) return overBudget(n - 1);
        }
        del(anyLeaf);
        levels[n] = levels[n].filter((x) => !x.deleted);
      }
      if (!prune(levels, n)) levels = null;
    }
    if (levels) finalPolicies = levels[n].map((x) => x.validPolicy);
  }
  if (explicitPolicy <= 0 && (!levels || finalPolicies.length === 0)) {
    return { ok: false, depth: 0, budget: false, detail: 'no acceptable policy: an explicit policy is required' };
  }
  return { ok: true, policies: finalPolicies };
}

function isAnyChain(node: PolicyNode): boolean {
  for (let p: PolicyNode | null = node; p; p = p.parent) if (p.validPolicy !== ANY_POLICY) return false;
  return true;
}

function deleteSubtree(levels: PolicyNode[][], node: PolicyNode, depth: number): void {
  node.deleted = true;
  if (node.parent) node.parent.children--;
  const gone = new Set<PolicyNode>([node]);
  for (let d = depth + 1; d < levels.length; d++) {
    for (const c of levels[d]) {
      if (c.parent && gone.has(c.parent)) {
        c.deleted = true;
        gone.add(c);
      }
    }
  }
}

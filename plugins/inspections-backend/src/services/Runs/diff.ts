import type {
  CheckRunResult,
  Finding,
  RunDetails,
  RunDiff,
  RunScope,
  RunSummary,
} from '@kubemate/plugin-inspections-common';

const executionKey = (checkId: string, cluster?: string) =>
  `${checkId}@${cluster ?? ''}`;

const where = (cluster?: string) => (cluster ? ` on ${cluster}` : '');

/** The summary part of a run's details. */
export function summaryOf(details: RunDetails): RunSummary {
  const {
    checks: _checks,
    findings: _findings,
    hiddenFindings: _hidden,
    ...summary
  } = details;
  return summary;
}

const list = (values?: string[]) =>
  values?.length ? [...values].sort().join(', ') : 'all';

function scopeDifferences(base: RunScope, head: RunScope): string[] {
  const reasons: string[] = [];
  const differ = (a?: string[], b?: string[]) => list(a) !== list(b);
  if (differ(base.clusters, head.clusters)) {
    reasons.push(
      `the scopes differ: clusters ${list(base.clusters)} vs ${list(
        head.clusters,
      )}`,
    );
  }
  if (differ(base.namespaces, head.namespaces)) {
    reasons.push(
      `the scopes differ: namespaces ${list(base.namespaces)} vs ${list(
        head.namespaces,
      )}`,
    );
  }
  if (differ(base.categories, head.categories)) {
    reasons.push(
      `the scopes differ: categories ${list(base.categories)} vs ${list(
        head.categories,
      )}`,
    );
  }
  return reasons;
}

/** Whether an execution passed or failed cleanly (its findings can be compared). */
const clean = (r?: CheckRunResult) =>
  r?.status === 'passed' || r?.status === 'failed';

/**
 * What changed between two runs, by fingerprint: `new` (in head only), `unchanged` (in both),
 * `resolved` (in base only, and head ran that check on that cluster cleanly) and `notComparable`
 * (in base only, but head did not run that check there, or it errored or was skipped). The runs
 * are `comparable` when their ruleset hashes and scopes are equal and they covered the same
 * executions (an execution that ran cleanly in one ran cleanly in the other; one that errored or
 * was skipped in both is the same coverage); `reasons` say what differs.
 */
export function diffRuns(base: RunDetails, head: RunDetails): RunDiff {
  const reasons: string[] = [];
  if (base.rulesetHash !== head.rulesetHash) {
    reasons.push(
      `the rulesets differ (${base.rulesetHash.slice(
        0,
        12,
      )} vs ${head.rulesetHash.slice(
        0,
        12,
      )}): checks, versions or thresholds changed`,
    );
  }
  reasons.push(...scopeDifferences(base.scope, head.scope));

  const baseExec = new Map(
    base.checks.map(c => [executionKey(c.checkId, c.cluster), c]),
  );
  const headExec = new Map(
    head.checks.map(c => [executionKey(c.checkId, c.cluster), c]),
  );
  const coverage: string[] = [];
  for (const [key, b] of baseExec) {
    const h = headExec.get(key);
    if (!h) {
      if (clean(b))
        coverage.push(`${b.checkId}${where(b.cluster)} did not run in head`);
    } else if (clean(b) !== clean(h)) {
      const [bad, run] = clean(b) ? [h, 'head'] : [b, 'base'];
      coverage.push(
        `${bad.checkId}${where(bad.cluster)} ${
          bad.status === 'error' ? 'errored' : 'was skipped'
        } in ${run}`,
      );
    }
    // errored or skipped in both: the same coverage; its base findings are `notComparable`
  }
  for (const [key, h] of headExec) {
    if (!baseExec.has(key) && clean(h)) {
      coverage.push(`${h.checkId}${where(h.cluster)} did not run in base`);
    }
  }
  reasons.push(...coverage.map(c => `coverage differs: ${c}`));

  const headByFp = new Map(head.findings.map(f => [f.fingerprint, f]));
  const baseFps = new Set(base.findings.map(f => f.fingerprint));
  const diff: Pick<
    RunDiff,
    'new' | 'resolved' | 'unchanged' | 'notComparable'
  > = { new: [], resolved: [], unchanged: [], notComparable: [] };
  for (const f of base.findings) {
    const inHead = headByFp.get(f.fingerprint);
    if (inHead) {
      diff.unchanged.push(inHead);
    } else if (
      clean(headExec.get(executionKey(f.checkId, executionClusterOf(base, f))))
    ) {
      diff.resolved.push(f);
    } else {
      diff.notComparable.push(f);
    }
  }
  for (const f of head.findings) {
    if (!baseFps.has(f.fingerprint)) diff.new.push(f);
  }
  return {
    base: summaryOf(base),
    head: summaryOf(head),
    comparable: reasons.length === 0,
    reasons,
    ...diff,
  };
}

/**
 * The cluster of the execution a finding came from: its object's cluster, except for global
 * checks (their executions have no cluster even when the object names one).
 */
function executionClusterOf(run: RunDetails, f: Finding): string | undefined {
  return run.checks.some(
    c => c.checkId === f.checkId && c.cluster === undefined,
  )
    ? undefined
    : f.object.cluster;
}

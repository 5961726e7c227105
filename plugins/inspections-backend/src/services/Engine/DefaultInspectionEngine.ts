import { randomUUID } from 'node:crypto';
import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CheckRunResult,
  Exemption,
  Finding,
  RunDetails,
  RunScope,
  RunSummary,
  scoreRun,
  Severity,
  SEVERITIES,
} from '@kubemate/plugin-inspections-common';
import type {
  CheckContext,
  CheckOutcome,
  InspectionDataSources,
} from '@kubemate/plugin-inspections-node';
import { namespaceInScope } from '@kubemate/plugin-kubemate-common';
import type { InspectionNotifier } from '../Notifier/types';
import type { InspectionStore } from '../Store';
import { EntityMapper } from './entities';
import { fingerprintOf } from './fingerprint';
import type { Ruleset, RulesetCheck } from './ruleset';
import type { InspectionEngine, StartRunRequest } from './types';

export interface InspectionEngineOptions {
  store: InspectionStore;
  ruleset: Ruleset;
  /**
   * The checks' data sources; with `withSignal`, each execution gets a view whose calls are
   * aborted at its timeout.
   */
  sources: InspectionDataSources & {
    withSignal?(signal: AbortSignal): InspectionDataSources;
  };
  catalog: CatalogService;
  auth: AuthService;
  notifier: InspectionNotifier;
  logger: LoggerService;
  /** A run's cluster locks are stolen this long after their last heartbeat. Default 120. */
  lockTtlSeconds?: number;
  /** How often a running run refreshes its heartbeat and locks. Default 15 000. */
  heartbeatMs?: number;
  /** Check executions at a time. Default 4. */
  concurrency?: number;
  /** The clock (tests). */
  now?: () => Date;
}

/** One planned execution: a cluster check on one cluster, or a global check once. */
interface Execution {
  entry: RulesetCheck;
  cluster?: string;
}

const errorMessage = (e: unknown) =>
  e instanceof Error ? e.message : String(e);

class CheckTimeoutError extends Error {
  constructor(ms: number) {
    super(`timed out after ${ms} ms`);
    this.name = 'CheckTimeoutError';
  }
}

/** Runs `fn` over `items` with at most `limit` at a time; results in the items' order. */
async function pool<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  return results;
}

const emptyBySeverity = () =>
  Object.fromEntries(SEVERITIES.map(s => [s, 0])) as Record<Severity, number>;

/** Scope clusters sorted and deduplicated; empty lists dropped. */
export function normalizeScope(scope: RunScope): RunScope {
  return {
    clusters: [...new Set(scope.clusters)].sort(),
    ...(scope.namespaces?.length
      ? { namespaces: [...new Set(scope.namespaces)].sort() }
      : {}),
    ...(scope.categories?.length
      ? { categories: [...new Set(scope.categories)].sort() }
      : {}),
  };
}

/**
 * {@link InspectionEngine}: plans a run's executions (cluster checks × the scope's clusters,
 * global checks once, filtered by category), runs them a few at a time — each isolated with its
 * own AbortController and timeout, a throw or a timeout recorded as `error`, never as a pass —
 * then fingerprints, maps and exempts the findings, scores the run and stores it at once.
 */
export class DefaultInspectionEngine implements InspectionEngine {
  readonly ruleset: Ruleset;
  private readonly running = new Set<Promise<void>>();
  private readonly now: () => Date;

  constructor(private readonly options: InspectionEngineOptions) {
    this.ruleset = options.ruleset;
    this.now = options.now ?? (() => new Date());
  }

  private get lockTtlMs() {
    return (this.options.lockTtlSeconds ?? 120) * 1000;
  }

  async start(request: StartRunRequest): Promise<RunSummary> {
    const { store, logger } = this.options;
    const scope = normalizeScope(request.scope);
    const id = randomUUID();
    const now = this.now();
    const lock = await store.lockClusters(
      id,
      scope.clusters,
      now,
      new Date(now.getTime() - this.lockTtlMs),
    );
    if (!lock.acquired) {
      throw new ConflictError(
        `${lock.held.cluster} is being inspected by run ${lock.held.runId}`,
      );
    }
    for (const stolen of lock.stolen) {
      logger.warn(
        `inspections: run ${stolen.runId} held ${
          stolen.cluster
        } without a heartbeat since ${stolen.heartbeatAt.toISOString()}; run ${id} took the lock over`,
      );
      await store.failRun(
        stolen.runId,
        `its replica stopped: no heartbeat since ${stolen.heartbeatAt.toISOString()}`,
        now,
      );
    }
    const plan = this.plan(scope);
    const summary: RunSummary = {
      id,
      trigger: request.trigger,
      ...(request.triggeredBy ? { triggeredBy: request.triggeredBy } : {}),
      scope,
      status: 'running',
      startedAt: now.toISOString(),
      rulesetHash: this.ruleset.hash,
      coverage: { planned: plan.length, executed: 0, errors: 0, skipped: 0 },
      findingsBySeverity: emptyBySeverity(),
    };
    try {
      await store.insertRun(summary);
    } catch (e) {
      await store.releaseLocks(id);
      throw e;
    }
    const done = this.execute(summary, plan).finally(() =>
      this.running.delete(done),
    );
    this.running.add(done);
    return summary;
  }

  async idle(): Promise<void> {
    while (this.running.size) {
      await Promise.all([...this.running]);
    }
  }

  private plan(scope: RunScope): Execution[] {
    const categories = scope.categories?.length
      ? new Set(scope.categories)
      : undefined;
    const plan: Execution[] = [];
    for (const entry of this.ruleset.enabled()) {
      if (categories && !categories.has(entry.info.category)) continue;
      if (entry.info.scope === 'global') {
        plan.push({ entry });
      } else {
        for (const cluster of scope.clusters) plan.push({ entry, cluster });
      }
    }
    return plan;
  }

  private async loadEntities(): Promise<EntityMapper> {
    const { catalog, auth, logger } = this.options;
    try {
      const { items } = await catalog.getEntities(
        {
          filter: [{ kind: 'Component' }, { kind: 'Resource' }],
          fields: [
            'kind',
            'metadata.name',
            'metadata.namespace',
            'metadata.annotations',
            'spec.owner',
          ],
        },
        { credentials: await auth.getOwnServiceCredentials() },
      );
      return new EntityMapper(items);
    } catch (e) {
      logger.warn(
        `inspections: the catalog could not be read, findings of this run have no owners: ${errorMessage(
          e,
        )}`,
      );
      return new EntityMapper([]);
    }
  }

  /** Marks due exemptions expired (their findings fail again) and notifies their owners. */
  private async expireExemptions(now: Date): Promise<void> {
    const { store, notifier, logger } = this.options;
    const expired = await store.expireDue(now);
    if (expired.length) {
      await notifier
        .exemptionsExpired(expired)
        .catch(e =>
          logger.warn(
            `inspections: notifying expired exemptions failed: ${errorMessage(
              e,
            )}`,
          ),
        );
    }
  }

  private async execute(summary: RunSummary, plan: Execution[]) {
    const { store, logger } = this.options;
    const runId = summary.id;
    const beat = setInterval(() => {
      const at = this.now();
      Promise.all([
        store.heartbeat(runId, at),
        store.heartbeatLocks(runId, at).then(n => {
          if (n < summary.scope.clusters.length) {
            logger.warn(
              `inspections: run ${runId} lost ${
                summary.scope.clusters.length - n
              } cluster lock(s) to another replica`,
            );
          }
        }),
      ]).catch(e =>
        logger.warn(
          `inspections: heartbeat of run ${runId}: ${errorMessage(e)}`,
        ),
      );
    }, this.options.heartbeatMs ?? 15_000);
    beat.unref?.();
    let details: RunDetails | undefined;
    try {
      details = await this.inspect(summary, plan);
      await store.completeRun({
        summary: details,
        checks: details.checks,
        findings: details.findings,
        history: this.history.get(runId) ?? [],
      });
      logger.info(
        `inspections: run ${runId} over ${summary.scope.clusters.join(
          ', ',
        )}: score ${details.scores?.overall} (${details.scores?.grade}), ${
          details.coverage.errors
        } check error(s)`,
      );
    } catch (e) {
      details = undefined;
      logger.error(`inspections: run ${runId} failed: ${errorMessage(e)}`);
      await store
        .failRun(runId, `the run failed: ${errorMessage(e)}`, this.now())
        .catch(err =>
          logger.error(
            `inspections: could not mark run ${runId} failed: ${errorMessage(
              err,
            )}`,
          ),
        );
    } finally {
      clearInterval(beat);
      this.history.delete(runId);
      await store
        .releaseLocks(runId)
        .catch(e =>
          logger.error(
            `inspections: could not release the locks of run ${runId}: ${errorMessage(
              e,
            )}`,
          ),
        );
    }
    if (details) await this.notifyFinished(details);
  }

  /** History values recorded by the checks of a running run (persisted when it completes). */
  private readonly history = new Map<
    string,
    { checkId: string; key: string; value: number; at: Date }[]
  >();

  private async notifyFinished(run: RunDetails): Promise<void> {
    const { store, notifier, logger } = this.options;
    try {
      const prev = await store.previousRun(
        run.scope.clusters,
        run.startedAt,
        run.id,
      );
      const previous: RunDetails | undefined = prev && {
        ...prev,
        checks: await store.checkResults(prev.id),
        findings: await store.findings(prev.id),
        hiddenFindings: 0,
      };
      await notifier.runFinished({ run, previous });
    } catch (e) {
      logger.warn(
        `inspections: notifying the owners of run ${
          run.id
        } failed: ${errorMessage(e)}`,
      );
    }
  }

  /** Executes the plan and assembles the finished run (not stored yet). */
  private async inspect(
    summary: RunSummary,
    plan: Execution[],
  ): Promise<RunDetails> {
    const { store } = this.options;
    const started = this.now();
    await this.expireExemptions(started);
    const active = new Map<string, Exemption>();
    for (const e of await store.listExemptions({ status: ['active'] })) {
      if (Date.parse(e.expiresAt) > started.getTime())
        active.set(e.fingerprint, e);
    }
    const mapper = await this.loadEntities();
    const recorded: {
      checkId: string;
      key: string;
      value: number;
      at: Date;
    }[] = [];
    this.history.set(summary.id, recorded);

    const executed = await pool(plan, this.options.concurrency ?? 4, exec =>
      this.runOne(summary.scope, exec, started, recorded),
    );

    const checks: CheckRunResult[] = [];
    const findings: Finding[] = [];
    const seen = new Set<string>();
    for (const { exec, outcome, error, durationMs } of executed) {
      const { info } = exec.entry;
      const base = {
        checkId: info.id,
        checkVersion: info.version,
        category: info.category,
        severity: info.severity,
        ...(exec.cluster ? { cluster: exec.cluster } : {}),
        durationMs,
      };
      if (error !== undefined || !outcome) {
        checks.push({
          ...base,
          status: 'error',
          failed: 0,
          exempted: 0,
          message: error ?? 'the check returned no outcome',
        });
        continue;
      }
      if (outcome.skipped) {
        checks.push({
          ...base,
          status: 'skipped',
          failed: 0,
          exempted: 0,
          message: outcome.skipped,
        });
        continue;
      }
      let failed = 0;
      let exempted = 0;
      for (const draft of outcome.findings) {
        const object = {
          ...draft.object,
          ...(exec.cluster && !draft.object.cluster
            ? { cluster: exec.cluster }
            : {}),
        };
        if (
          object.namespace &&
          summary.scope.namespaces?.length &&
          !namespaceInScope(summary.scope.namespaces, object.namespace)
        ) {
          continue; // outside the run's namespaces
        }
        const fingerprint = fingerprintOf(info.id, object);
        if (seen.has(fingerprint)) continue; // the same object reported twice
        seen.add(fingerprint);
        const exemption = active.get(fingerprint);
        const { entityRef, owner } = mapper.match({ ...draft, object });
        findings.push({
          fingerprint,
          checkId: info.id,
          checkVersion: info.version,
          category: info.category,
          severity: draft.severity ?? info.severity,
          title: info.title,
          message: draft.message,
          object,
          evidence: draft.evidence ?? {},
          ...(entityRef ? { entityRef } : {}),
          ...(owner ? { owner } : {}),
          status: exemption ? 'exempted' : 'failed',
          ...(exemption ? { exemptionId: exemption.id } : {}),
        });
        if (exemption) exempted++;
        else failed++;
      }
      checks.push({
        ...base,
        status: failed ? 'failed' : 'passed',
        ...(typeof outcome.evaluated === 'number'
          ? { evaluated: outcome.evaluated }
          : {}),
        failed,
        exempted,
      });
    }

    const findingsBySeverity = emptyBySeverity();
    const clusterFindingsBySeverity = Object.fromEntries(
      summary.scope.clusters.map(c => [c, emptyBySeverity()]),
    );
    for (const f of findings) {
      if (f.status !== 'failed') continue;
      findingsBySeverity[f.severity]++;
      const perCluster = f.object.cluster
        ? clusterFindingsBySeverity[f.object.cluster]
        : undefined;
      if (perCluster) perCluster[f.severity]++;
    }
    const count = (s: CheckRunResult['status']) =>
      checks.filter(c => c.status === s).length;
    return {
      ...summary,
      status: 'succeeded',
      finishedAt: this.now().toISOString(),
      coverage: {
        planned: plan.length,
        executed: count('passed') + count('failed'),
        errors: count('error'),
        skipped: count('skipped'),
      },
      scores: scoreRun(checks),
      clusterScores: Object.fromEntries(
        summary.scope.clusters.map(c => [
          c,
          scoreRun(checks.filter(r => r.cluster === c)),
        ]),
      ),
      findingsBySeverity,
      clusterFindingsBySeverity,
      checks,
      findings,
      hiddenFindings: 0,
    };
  }

  /** One execution, isolated: its own abort signal and deadline; a throw is an error. */
  private async runOne(
    scope: RunScope,
    exec: Execution,
    now: Date,
    recorded: { checkId: string; key: string; value: number; at: Date }[],
  ): Promise<{
    exec: Execution;
    outcome?: CheckOutcome;
    error?: string;
    durationMs: number;
  }> {
    const { entry, cluster } = exec;
    const { store, sources, logger } = this.options;
    const controller = new AbortController();
    const mine: typeof recorded = [];
    const context: CheckContext = {
      ...(cluster ? { cluster } : {}),
      scope,
      namespaceInScope: ns =>
        !scope.namespaces?.length || namespaceInScope(scope.namespaces, ns),
      thresholds: { ...entry.info.thresholds },
      now,
      signal: controller.signal,
      sources: sources.withSignal
        ? sources.withSignal(controller.signal)
        : sources,
      history: {
        previous: key => store.previousValue(entry.info.id, key),
        record: (key, value) => {
          if (Number.isFinite(value)) {
            mine.push({ checkId: entry.info.id, key, value, at: now });
          }
        },
      },
      logger: logger.child({
        check: entry.info.id,
        ...(cluster ? { cluster } : {}),
      }),
    };
    const startedAt = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const err = new CheckTimeoutError(entry.timeoutMs);
        controller.abort(err);
        reject(err);
      }, entry.timeoutMs);
    });
    try {
      const outcome = await Promise.race([
        Promise.resolve().then(() => entry.check.run(context)),
        deadline,
      ]);
      if (
        !outcome ||
        typeof outcome !== 'object' ||
        (!outcome.skipped && !Array.isArray(outcome.findings))
      ) {
        return {
          exec,
          error: 'the check returned no findings list',
          durationMs: performance.now() - startedAt,
        };
      }
      recorded.push(...mine);
      return {
        exec,
        outcome: { ...outcome, findings: outcome.findings ?? [] },
        durationMs: performance.now() - startedAt,
      };
    } catch (e) {
      return {
        exec,
        error: errorMessage(e) || 'the check failed without a message',
        durationMs: performance.now() - startedAt,
      };
    } finally {
      clearTimeout(timer);
      if (!controller.signal.aborted) controller.abort();
    }
  }
}

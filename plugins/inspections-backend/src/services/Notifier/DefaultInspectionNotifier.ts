import { KUBEMATE_CLUSTER_NAME_ANNOTATION } from '@kubemate/plugin-kubemate-common';
import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  type Entity,
  parseEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { NotificationPayload } from '@backstage/plugin-notifications-common';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type {
  Exemption,
  Finding,
  Grade,
  RunDetails,
} from '@kubemate/plugin-inspections-common';
import { objectLabel } from '../Reports/model';
import type { InspectionNotifier } from './types';

/** The annotation of the catalog's cluster Resource entities (catalog/system.yaml). */
/** The annotation naming a Resource's cluster (kubemate-common). */
export const CLUSTER_NAME_ANNOTATION = KUBEMATE_CLUSTER_NAME_ANNOTATION;
/** Findings listed in one notification at most. */
export const MAX_LISTED_FINDINGS = 5;
export const NOTIFICATION_TOPIC = 'inspections';

const GRADE_RANK: Record<Grade, number> = {
  A: 6,
  B: 5,
  C: 4,
  D: 3,
  E: 2,
  F: 1,
};

export interface DefaultInspectionNotifierOptions {
  notifications: NotificationService;
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  /** kubemate.inspections.notifications.enabled; false → every call is a no-op. */
  enabled: boolean;
}

const runLink = (runId: string) => `/inspections/runs/${runId}`;
const EXEMPTIONS_LINK = '/inspections/exemptions';
const shortId = (id: string) => id.slice(0, 8);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function findingList(findings: Finding[]): string {
  const listed = findings
    .slice(0, MAX_LISTED_FINDINGS)
    .map(f => `• ${f.title}: ${objectLabel(f.object)} — ${f.message}`);
  const more = findings.length - listed.length;
  return [...listed, ...(more > 0 ? [`… and ${more} more`] : [])].join('\n');
}

/** The entity's owners: its `ownedBy` relations, else its `spec.owner` (a group by default). */
export function ownersOf(entity: Entity): string[] {
  const related = (entity.relations ?? [])
    .filter(r => r.type === RELATION_OWNED_BY)
    .map(r => r.targetRef);
  if (related.length > 0) return related;
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || !owner) return [];
  try {
    return [
      stringifyEntityRef(
        parseEntityRef(owner, {
          defaultKind: 'group',
          defaultNamespace: entity.metadata.namespace ?? 'default',
        }),
      ),
    ];
  } catch {
    return [];
  }
}

/**
 * Backstage notifications to the owners (see README.md next to this file):
 * - new critical findings of a run (failed, severity critical, fingerprint not in the previous
 *   run): one notification per owner listing up to five;
 * - a cluster's grade worse than in the previous run: to the owners of the cluster's Resource
 *   entity and the owners of the cluster's new findings;
 * - exemptions about to expire / expired: to the owners of the exempted entity and the requester.
 * Findings without an owner are not notified. Every notification has a `scope`, so a repeated
 * call (a retry, another replica) updates the notification instead of adding one. Failures of the
 * catalog or the notifications service are logged, never thrown.
 */
export class DefaultInspectionNotifier implements InspectionNotifier {
  private readonly notifications: NotificationService;
  private readonly catalog: CatalogService;
  private readonly auth: AuthService;
  private readonly logger: LoggerService;
  private readonly enabled: boolean;

  constructor(options: DefaultInspectionNotifierOptions) {
    this.notifications = options.notifications;
    this.catalog = options.catalog;
    this.auth = options.auth;
    this.logger = options.logger;
    this.enabled = options.enabled;
  }

  async runFinished(input: {
    run: RunDetails;
    previous?: RunDetails;
  }): Promise<void> {
    if (!this.enabled) return;
    const { run, previous } = input;
    const known = new Set(previous?.findings.map(f => f.fingerprint) ?? []);
    const fresh = run.findings.filter(
      f => f.status === 'failed' && !known.has(f.fingerprint),
    );
    await this.newCriticalFindings(run, fresh);
    if (previous) await this.gradeDrops(run, previous, fresh);
  }

  async exemptionsExpiring(exemptions: Exemption[]): Promise<void> {
    if (!this.enabled || exemptions.length === 0) return;
    const owners = await this.entityOwners(exemptions);
    for (const x of exemptions) {
      await this.send(
        [...(owners.get(x.entityRef ?? '') ?? []), x.requestedBy],
        {
          title: `Inspection exemption expires ${x.expiresAt.slice(0, 10)}: ${
            x.checkId
          } on ${objectLabel(x.object)}`,
          description: `${x.reason} (${x.ticket}). When it expires the finding fails again; request a new exemption if it is still needed.`,
          link: EXEMPTIONS_LINK,
          severity: 'normal',
          topic: NOTIFICATION_TOPIC,
          scope: `inspections:exemption:${x.id}:expiring`,
        },
      );
    }
  }

  async exemptionsExpired(exemptions: Exemption[]): Promise<void> {
    if (!this.enabled || exemptions.length === 0) return;
    const owners = await this.entityOwners(exemptions);
    for (const x of exemptions) {
      await this.send(
        [...(owners.get(x.entityRef ?? '') ?? []), x.requestedBy],
        {
          title: `Inspection exemption expired, the finding fails again: ${
            x.checkId
          } on ${objectLabel(x.object)}`,
          description: `Exempted until ${x.expiresAt} for: ${x.reason} (${x.ticket}).`,
          link: EXEMPTIONS_LINK,
          severity: 'high',
          topic: NOTIFICATION_TOPIC,
          scope: `inspections:exemption:${x.id}:expired`,
        },
      );
    }
  }

  private async newCriticalFindings(run: RunDetails, fresh: Finding[]) {
    const critical = fresh.filter(f => f.severity === 'critical');
    const byOwner = new Map<string, Finding[]>();
    let unowned = 0;
    for (const f of critical) {
      if (!f.owner) {
        unowned++;
        continue;
      }
      byOwner.set(f.owner, [...(byOwner.get(f.owner) ?? []), f]);
    }
    if (unowned > 0) {
      this.logger.info(
        `Inspection run ${run.id}: ${plural(
          unowned,
          'new critical finding',
        )} without an owning entity, not notified`,
      );
    }
    for (const [owner, findings] of byOwner) {
      await this.send([owner], {
        title: `${plural(
          findings.length,
          'new critical finding',
        )} in inspection ${shortId(run.id)}`,
        description: findingList(findings),
        link: runLink(run.id),
        severity: 'critical',
        topic: NOTIFICATION_TOPIC,
        scope: `inspections:run:${run.id}:critical:${owner}`,
      });
    }
  }

  private async gradeDrops(
    run: RunDetails,
    previous: RunDetails,
    fresh: Finding[],
  ) {
    for (const [cluster, scores] of Object.entries(run.clusterScores ?? {})) {
      const before = previous.clusterScores?.[cluster];
      if (!before || GRADE_RANK[scores.grade] >= GRADE_RANK[before.grade]) {
        continue;
      }
      const freshHere = fresh.filter(f => f.object.cluster === cluster);
      const recipients = [
        ...(await this.clusterOwners(cluster)),
        ...freshHere.flatMap(f => (f.owner ? [f.owner] : [])),
      ];
      const title = `Inspection grade of ${cluster} dropped from ${before.grade} to ${scores.grade}`;
      if (recipients.length === 0) {
        this.logger.warn(
          `${title} (run ${run.id}): nobody to notify - no Resource entity annotated ${CLUSTER_NAME_ANNOTATION}: ${cluster} and no owner of its new findings`,
        );
        continue;
      }
      await this.send(recipients, {
        title,
        description: `Score ${before.overall.toFixed(
          1,
        )} → ${scores.overall.toFixed(1)} since run ${shortId(
          previous.id,
        )}; ${plural(freshHere.length, 'new finding')} on the cluster${
          freshHere.length > 0 ? `:\n${findingList(freshHere)}` : '.'
        }`,
        link: runLink(run.id),
        severity: 'high',
        topic: NOTIFICATION_TOPIC,
        scope: `inspections:run:${run.id}:grade:${cluster}`,
      });
    }
  }

  /** Owners of the Resource entities annotated with the cluster's name. */
  private async clusterOwners(cluster: string): Promise<string[]> {
    try {
      const { items } = await this.catalog.getEntities(
        {
          filter: {
            kind: 'Resource',
            [`metadata.annotations.${CLUSTER_NAME_ANNOTATION}`]: cluster,
          },
          fields: ['kind', 'metadata', 'spec.owner', 'relations'],
        },
        { credentials: await this.auth.getOwnServiceCredentials() },
      );
      return items.flatMap(ownersOf);
    } catch (e) {
      this.logger.warn(
        `Could not read the owner of cluster ${cluster} from the catalog: ${
          (e as Error).message
        }`,
      );
      return [];
    }
  }

  /** entityRef → its owners, for the exemptions' entities (one catalog call). */
  private async entityOwners(
    exemptions: Exemption[],
  ): Promise<Map<string, string[]>> {
    const refs = [
      ...new Set(exemptions.flatMap(x => (x.entityRef ? [x.entityRef] : []))),
    ];
    const owners = new Map<string, string[]>();
    if (refs.length === 0) return owners;
    try {
      const { items } = await this.catalog.getEntitiesByRefs(
        {
          entityRefs: refs,
          fields: ['kind', 'metadata', 'spec.owner', 'relations'],
        },
        { credentials: await this.auth.getOwnServiceCredentials() },
      );
      items.forEach((entity, i) => {
        if (entity) owners.set(refs[i], ownersOf(entity));
      });
    } catch (e) {
      this.logger.warn(
        `Could not read the owners of exempted entities from the catalog (the requesters are still notified): ${
          (e as Error).message
        }`,
      );
    }
    return owners;
  }

  private async send(recipients: string[], payload: NotificationPayload) {
    const entityRef = [...new Set(recipients)];
    try {
      await this.notifications.send({
        recipients: { type: 'entity', entityRef },
        payload,
      });
    } catch (e) {
      this.logger.error(
        `Could not send the notification '${payload.title}' to ${entityRef.join(
          ', ',
        )}: ${(e as Error).message}`,
      );
    }
  }
}

import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  EntityKubernetesSelector,
  getEntityKubernetesSelector,
  labelsMatch,
  KUBEMATE_CLUSTER_NAME_ANNOTATION,
} from '@kubemate/plugin-kubemate-common';
import type { FindingDraft } from '@kubemate/plugin-inspections-node';

/** A Resource entity standing for a whole cluster (its control plane, nodes, etcd). */
/** The annotation naming a Resource's cluster (kubemate-common). */
export const CLUSTER_NAME_ANNOTATION = KUBEMATE_CLUSTER_NAME_ANNOTATION;

/** The owning entity of a finding and that entity's owner. */
export interface EntityMatch {
  entityRef?: string;
  owner?: string;
}

/** `spec.owner` as a full ref (`team-payments` → `group:default/team-payments`). */
function ownerOf(entity: Entity): string | undefined {
  const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  if (typeof owner !== 'string' || !owner) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    );
  } catch {
    return undefined;
  }
}

/**
 * Maps findings to catalog entities, from the Components and Resources loaded once per run:
 *
 * - the draft's own `entityRef` wins (a check that knows its owner, e.g. a database target);
 * - a Component whose Kubernetes annotations (`backstage.io/kubernetes-id` or
 *   `-label-selector`, and `-namespace` if set) select the finding's labels — the same rule the
 *   other plugins use to find an entity's workloads;
 * - a Resource annotated `kubemate.io/cluster-name: <cluster>` for findings of that cluster
 *   without a namespace (nodes, control plane, etcd).
 */
export class EntityMapper {
  private readonly components: {
    ref: string;
    owner?: string;
    selector: EntityKubernetesSelector;
  }[] = [];
  private readonly clusters = new Map<
    string,
    { ref: string; owner?: string }
  >();
  private readonly owners = new Map<string, string | undefined>();

  constructor(entities: Entity[]) {
    for (const entity of entities) {
      const ref = stringifyEntityRef(entity);
      const owner = ownerOf(entity);
      this.owners.set(ref, owner);
      if (entity.kind.toLocaleLowerCase('en-US') === 'component') {
        const selector = getEntityKubernetesSelector(entity);
        if (selector) this.components.push({ ref, owner, selector });
      }
      const cluster = entity.metadata.annotations?.[CLUSTER_NAME_ANNOTATION];
      if (
        cluster &&
        entity.kind.toLocaleLowerCase('en-US') === 'resource' &&
        !this.clusters.has(cluster)
      ) {
        this.clusters.set(cluster, { ref, owner });
      }
    }
  }

  match(draft: FindingDraft): EntityMatch {
    if (draft.entityRef) {
      let ref = draft.entityRef;
      try {
        ref = stringifyEntityRef(parseEntityRef(draft.entityRef));
      } catch {
        // keep it as the check gave it
      }
      const owner = this.owners.get(ref);
      return { entityRef: ref, ...(owner ? { owner } : {}) };
    }
    const { object, labels } = draft;
    if (object.namespace && labels && Object.keys(labels).length) {
      const found = this.components.find(
        c =>
          (!c.selector.namespace ||
            c.selector.namespace === object.namespace) &&
          labelsMatch(c.selector, labels),
      );
      if (found) {
        return {
          entityRef: found.ref,
          ...(found.owner ? { owner: found.owner } : {}),
        };
      }
    }
    if (object.cluster && !object.namespace) {
      const found = this.clusters.get(object.cluster);
      if (found) {
        return {
          entityRef: found.ref,
          ...(found.owner ? { owner: found.owner } : {}),
        };
      }
    }
    return {};
  }
}

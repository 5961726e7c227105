import { AuthService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ServiceUnavailableError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { Membership } from './types';

interface Snapshot {
  at: number;
  /** group ref -> parent group refs */
  parents: Map<string, string[]>;
  /** user ref -> direct group refs */
  userGroups: Map<string, string[]>;
}

const lower = (s: string) => s.toLocaleLowerCase('en-US');

function relationTargets(entity: Entity, type: string): string[] {
  return (entity.relations ?? [])
    .filter(r => r.type === type)
    .map(r => lower(r.targetRef));
}

/**
 * Users, groups and group nesting from the catalog (as the rbac plugin itself), cached briefly.
 * A user is a member of a group when the catalog says so directly, or through any ancestor
 * (`spec.parent` / childOf relations), so binding a role to a parent group covers its subgroups.
 */
export class DefaultMembership implements Membership {
  private snapshot?: Snapshot;
  private loading?: Promise<Snapshot>;

  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly cacheMs = 15_000,
  ) {}

  private async load(): Promise<Snapshot> {
    const credentials = await this.auth.getOwnServiceCredentials();
    let items: Entity[];
    try {
      ({ items } = await this.catalog.getEntities(
        {
          filter: { kind: ['User', 'Group'] },
          fields: ['kind', 'metadata.name', 'metadata.namespace', 'relations'],
        },
        { credentials },
      ));
    } catch (e) {
      throw new ServiceUnavailableError(
        `catalog unavailable, cannot resolve users and groups: ${
          (e as Error).message
        }`,
      );
    }
    const parents = new Map<string, string[]>();
    const userGroups = new Map<string, string[]>();
    for (const e of items) {
      const ref = lower(stringifyEntityRef(e));
      if (lower(e.kind) === 'group') {
        parents.set(ref, relationTargets(e, 'childOf'));
      } else {
        userGroups.set(ref, relationTargets(e, 'memberOf'));
      }
    }
    return { at: Date.now(), parents, userGroups };
  }

  private async get(fresh = false): Promise<Snapshot> {
    // an empty catalog (a portal that has just started and not ingested yet) is not cached
    if (
      !fresh &&
      this.snapshot &&
      this.snapshot.userGroups.size > 0 &&
      Date.now() - this.snapshot.at < this.cacheMs
    ) {
      return this.snapshot;
    }
    if (!this.loading) {
      this.loading = this.load().finally(() => {
        this.loading = undefined;
      });
    }
    this.snapshot = await this.loading;
    return this.snapshot;
  }

  private static withAncestors(
    snapshot: Snapshot,
    groups: Iterable<string>,
  ): Set<string> {
    const out = new Set<string>();
    const queue = [...groups].map(lower);
    while (queue.length) {
      const g = queue.pop()!;
      if (out.has(g)) continue;
      out.add(g);
      queue.push(...(snapshot.parents.get(g) ?? []));
    }
    return out;
  }

  /**
   * The groups of a user, nested groups resolved. `ownershipRefs` (from the sign-in) are added to
   * what the catalog says, so a freshly signed-in user is resolved even before the catalog cache
   * refreshes.
   */
  async groupsOf(
    userRef: string,
    ownershipRefs: string[] = [],
  ): Promise<string[]> {
    const snapshot = await this.get();
    const direct = [
      ...(snapshot.userGroups.get(lower(userRef)) ?? []),
      ...ownershipRefs.map(lower).filter(r => r.startsWith('group:')),
    ];
    return [...DefaultMembership.withAncestors(snapshot, direct)].sort();
  }

  /** The catalog's ownership claims of a user: the user and its direct groups (as sign-in gives). */
  async claimsOf(userRef: string): Promise<string[]> {
    const snapshot = await this.get();
    return [lower(userRef), ...(snapshot.userGroups.get(lower(userRef)) ?? [])];
  }

  /** All users of the catalog. */
  async users(options: { fresh?: boolean } = {}): Promise<string[]> {
    return [...(await this.get(options.fresh)).userGroups.keys()].sort();
  }

  /** The users that member refs (users and groups, nested) stand for. */
  async usersOf(
    members: string[],
    options: { fresh?: boolean } = {},
  ): Promise<string[]> {
    const snapshot = await this.get(options.fresh);
    const wanted = new Set(members.map(lower));
    const out: string[] = [];
    for (const [user, groups] of snapshot.userGroups) {
      if (
        wanted.has(user) ||
        [...DefaultMembership.withAncestors(snapshot, groups)].some(g =>
          wanted.has(g),
        )
      ) {
        out.push(user);
      }
    }
    // users named directly but absent from the catalog still get bound (they may sign in later)
    for (const m of wanted) {
      if (m.startsWith('user:') && !snapshot.userGroups.has(m)) out.push(m);
    }
    return [...new Set(out)].sort();
  }
}

import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import type { ResourcePermission } from '@backstage/plugin-permission-common';
import {
  requireTeamScope,
  teamScopeAllows,
  type TeamScope,
} from '@kubemate/plugin-kubemate-node';
import {
  ragCollectionReadPermission,
  type Collection,
} from '@kubemate/plugin-rag-common';
import type { CollectionAdminAccess, CollectionStore } from './types';

/** The owner refs a collection's permission rule looks at: its owner and the teams it is shared with. */
export const ownerRefsOf = (
  c: Pick<Collection, 'ownerRef' | 'sharedWith'>,
) => ({
  ownerRefs: [c.ownerRef, ...c.sharedWith],
});

const subjectOf = (credentials: BackstageCredentials) =>
  (credentials.principal as { userEntityRef?: string }).userEntityRef;

/**
 * {@link CollectionAdminAccess} on the base's team scopes (`requireTeamScope` /
 * `teamScopeAllows`): the caller's scope of a permission on the team-owned `rag-collection`
 * type, applied here on the server to the collection's owner refs. A collection the caller may
 * not read is not found (its existence is not leaked); one it may read but not act on is 403.
 */
export class DefaultCollectionAccess implements CollectionAdminAccess {
  constructor(
    private readonly options: {
      permissions: PermissionsService;
      store: CollectionStore;
    },
  ) {}

  scope(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
  ): Promise<TeamScope> {
    return requireTeamScope(this.options.permissions, {
      credentials,
      permission,
    });
  }

  /** The read scope, or undefined when the caller may read no collection at all. */
  private async readScope(
    credentials: BackstageCredentials,
  ): Promise<TeamScope | undefined> {
    try {
      return await this.scope(credentials, ragCollectionReadPermission);
    } catch (e) {
      if (e instanceof NotAllowedError) return undefined;
      throw e;
    }
  }

  async require(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
    name: string,
  ): Promise<Collection> {
    const notFound = () => new NotFoundError(`No knowledge base named ${name}`);
    const collection = await this.options.store.getCollection(name);
    const read = await this.readScope(credentials);
    if (
      !collection ||
      !read ||
      !teamScopeAllows(read, ownerRefsOf(collection))
    ) {
      throw notFound();
    }
    if (permission.name === ragCollectionReadPermission.name) return collection;
    const scope = await this.scope(credentials, permission);
    if (!teamScopeAllows(scope, ownerRefsOf(collection))) {
      const subject = subjectOf(credentials);
      throw new NotAllowedError(
        `${subject ?? 'You'} ${subject ? 'is' : 'are'} not allowed ${
          permission.name
        } on knowledge base ${name} (owned by ${collection.ownerRef})`,
      );
    }
    return collection;
  }

  async reachable(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
    names?: string[],
  ): Promise<Collection[]> {
    const scope = await this.scope(credentials, permission);
    const all = await this.options.store.listCollections(scope);
    if (!names) return all;
    const byName = new Map(all.map(c => [c.name, c]));
    const missing = names.filter(n => !byName.has(n));
    if (missing.length) {
      throw new NotFoundError(`No knowledge base named ${missing.join(', ')}`);
    }
    return names.map(n => byName.get(n)!);
  }

  async requireNew(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
    resource: { ownerRefs: string[] },
  ): Promise<void> {
    const scope = await this.scope(credentials, permission);
    if (!teamScopeAllows(scope, resource)) {
      const subject = subjectOf(credentials);
      throw new NotAllowedError(
        `${subject ?? 'You'} ${subject ? 'is' : 'are'} not allowed ${
          permission.name
        } for ${resource.ownerRefs[0]}: only for the teams you belong to`,
      );
    }
  }
}

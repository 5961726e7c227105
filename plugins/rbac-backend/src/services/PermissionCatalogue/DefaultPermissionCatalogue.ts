import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Permission } from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import {
  KubernetesPolicyRule,
  RbacCapability,
  RESOURCE_TYPE_CLUSTERS_OBJECT,
} from '@kubemate/plugin-kubemate-common';
import {
  PermissionInfo,
  PermissionsResponse,
} from '@kubemate/plugin-rbac-common';
import { PermissionCatalogue } from './types';

/**
 * Backend plugins whose permissions the catalogue lists besides the capabilities contributed
 * through the rbac capabilities extension point.
 */
export const BASE_PERMISSION_SOURCES = [
  'catalog',
  'scaffolder',
  'kubernetes',
  'rbac',
];

/** The plugins to read: the base ones, then every contributed capability. */
export function permissionSourcesOf(capabilities: RbacCapability[]): string[] {
  return [
    ...new Set([
      ...BASE_PERMISSION_SOURCES,
      ...capabilities.map(c => c.pluginId),
    ]),
  ];
}

/**
 * What each platform permission means in Kubernetes RBAC, as the capabilities contributed it. A
 * permission absent here has no Kubernetes counterpart (catalog, scaffolder, rbac ...).
 */
export function kubernetesRulesOf(
  capabilities: RbacCapability[],
): Record<string, KubernetesPolicyRule[]> {
  return Object.assign({}, ...capabilities.map(c => c.kubernetesRules ?? {}));
}

export function scopingOf(resourceType?: string): PermissionInfo['scoping'] {
  if (!resourceType) return 'none';
  if (resourceType === RESOURCE_TYPE_CLUSTERS_OBJECT) return 'namespace';
  if (resourceType === RESOURCE_TYPE_CATALOG_ENTITY) return 'ownership';
  return 'unsupported';
}

/**
 * The permissions registered by the portal's backend plugins, read from each plugin's
 * permission metadata endpoint (`/.well-known/backstage/permissions/metadata`), cached.
 */
export class DefaultPermissionCatalogue implements PermissionCatalogue {
  private cache?: {
    at: number;
    value: PermissionsResponse;
    byName: Map<string, PermissionInfo>;
  };
  private loading?: Promise<PermissionsResponse>;

  constructor(
    private readonly deps: {
      discovery: DiscoveryService;
      auth: AuthService;
      logger: LoggerService;
      sources: string[];
      kubernetesRules: Record<string, KubernetesPolicyRule[]>;
    },
    private readonly cacheMs = 60_000,
  ) {}

  private async fetchPlugin(pluginId: string): Promise<Permission[]> {
    const base = await this.deps.discovery.getBaseUrl(pluginId);
    const { token } = await this.deps.auth.getPluginRequestToken({
      onBehalfOf: await this.deps.auth.getOwnServiceCredentials(),
      targetPluginId: pluginId,
    });
    const res = await fetch(
      `${base}/.well-known/backstage/permissions/metadata`,
      {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(10_000),
      },
    );
    if (!res.ok) {
      throw new Error(`${pluginId} answered ${res.status} ${res.statusText}`);
    }
    const body = (await res.json()) as { permissions?: Permission[] };
    return body.permissions ?? [];
  }

  private async load(): Promise<PermissionsResponse> {
    const items = new Map<string, PermissionInfo>();
    const unavailable: PermissionsResponse['unavailable'] = [];
    await Promise.all(
      this.deps.sources.map(async pluginId => {
        try {
          for (const p of await this.fetchPlugin(pluginId)) {
            const resourceType =
              p.type === 'resource' ? p.resourceType : undefined;
            items.set(p.name, {
              name: p.name,
              pluginId,
              action: p.attributes?.action,
              resourceType,
              scoping: scopingOf(resourceType),
              kubernetes: this.deps.kubernetesRules[p.name] ?? [],
            });
          }
        } catch (e) {
          unavailable.push({ pluginId, error: (e as Error).message });
        }
      }),
    );
    if (unavailable.length) {
      this.deps.logger.warn(
        `Permission catalogue incomplete: ${unavailable
          .map(u => `${u.pluginId}: ${u.error}`)
          .join('; ')}`,
      );
    }
    const value = {
      items: [...items.values()].sort(
        (a, b) =>
          a.pluginId.localeCompare(b.pluginId) || a.name.localeCompare(b.name),
      ),
      unavailable,
    };
    // an incomplete catalogue is retried sooner
    this.cache = {
      at: unavailable.length ? Date.now() - this.cacheMs + 5_000 : Date.now(),
      value,
      byName: items,
    };
    return value;
  }

  async list(): Promise<PermissionsResponse> {
    if (this.cache && Date.now() - this.cache.at < this.cacheMs) {
      return this.cache.value;
    }
    if (!this.loading) {
      this.loading = this.load().finally(() => {
        this.loading = undefined;
      });
    }
    return this.loading;
  }

  async get(name: string): Promise<PermissionInfo | undefined> {
    await this.list();
    return this.cache?.byName.get(name);
  }
}

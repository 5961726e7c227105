import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type { Role, RoleSpec } from '@kubemate/plugin-rbac-common';
import { RBAC_CLIENT_SUBJECT, RbacClient } from './types';

/**
 * The RBAC plugin's REST API (`/api/rbac`), called by the scaffolder module as itself: the
 * action has checked the initiating user's provisioning.rbac.bind first, and may only grant
 * the configured grantable permissions on the service's own namespaces.
 */
export class DefaultRbacClient implements RbacClient {
  constructor(
    private readonly deps: { discovery: DiscoveryService; auth: AuthService },
  ) {}

  /** The subject the RBAC plugin records as creator of roles made through this client. */
  static readonly SUBJECT = RBAC_CLIENT_SUBJECT;

  private async call(method: string, path: string, body?: unknown) {
    const base = await this.deps.discovery.getBaseUrl('rbac');
    const { token } = await this.deps.auth.getPluginRequestToken({
      onBehalfOf: await this.deps.auth.getOwnServiceCredentials(),
      targetPluginId: 'rbac',
    });
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(body ? { 'Content-Type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
    } catch (e) {
      throw new ServiceUnavailableError(
        `The RBAC plugin (${base}) is unreachable: ${(e as Error).message}`,
      );
    }
    const text = await res.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    const message = json?.error?.message ?? text;
    if (res.status === 404) return undefined;
    if (res.status === 400) throw new InputError(`RBAC: ${message}`);
    if (res.status === 403) throw new NotAllowedError(`RBAC: ${message}`);
    if (res.status === 409) throw new ConflictError(`RBAC: ${message}`);
    if (!res.ok) {
      throw new ServiceUnavailableError(
        `The RBAC plugin answered ${res.status}: ${message}`,
      );
    }
    return json;
  }

  async getRole(name: string): Promise<Role | undefined> {
    return this.call('GET', `/roles/${encodeURIComponent(name)}`);
  }
  async createRole(spec: RoleSpec): Promise<Role> {
    return this.call('POST', '/roles', spec);
  }
  async updateRole(spec: RoleSpec): Promise<Role> {
    return this.call('PUT', `/roles/${encodeURIComponent(spec.name)}`, spec);
  }
}

import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { PluginBackendClient } from '@kubemate/plugin-kubemate-react';
import type {
  CheckResponse,
  PermissionsResponse,
  RbacAuditRecord,
  Role,
  RoleSpec,
  RolesResponse,
  WhatCanResponse,
  WhoCanResponse,
} from '@kubemate/plugin-rbac-common';
import { RbacApi, SyncResponse } from './RbacApi';

const enc = encodeURIComponent;

function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

export class RbacClient implements RbacApi {
  private readonly backend: PluginBackendClient;

  constructor(deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.backend = new PluginBackendClient(deps, 'rbac');
  }

  private request<T>(path: string, init?: { method: string; body?: unknown }) {
    return this.backend.json<T>(path, init);
  }

  listRoles() {
    return this.request<RolesResponse>('/roles');
  }
  createRole(spec: RoleSpec) {
    return this.request<Role>('/roles', { method: 'POST', body: spec });
  }
  updateRole(name: string, spec: RoleSpec) {
    return this.request<Role>(`/roles/${enc(name)}`, {
      method: 'PUT',
      body: spec,
    });
  }
  setMembers(name: string, members: string[]) {
    return this.request<Role>(`/roles/${enc(name)}/members`, {
      method: 'PUT',
      body: { members },
    });
  }
  async deleteRole(name: string) {
    await this.request<void>(`/roles/${enc(name)}`, { method: 'DELETE' });
  }
  listPermissions() {
    return this.request<PermissionsResponse>('/permissions');
  }
  check(q: { user: string; permission: string; resourceRef?: string }) {
    return this.request<CheckResponse>(`/check${query(q)}`);
  }
  whatCan(user: string) {
    return this.request<WhatCanResponse>(`/what-can${query({ user })}`);
  }
  whoCan(q: { permission: string; resourceRef?: string }) {
    return this.request<WhoCanResponse>(`/who-can${query(q)}`);
  }
  audit(q: { role?: string; limit?: number } = {}) {
    return this.request<{ items: RbacAuditRecord[] }>(`/audit${query(q)}`);
  }
  syncStatus() {
    return this.request<SyncResponse>('/sync');
  }
  runSync() {
    return this.request<unknown>('/sync', { method: 'POST' });
  }
}

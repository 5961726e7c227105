import type { RoleScope, RoleSource } from '@kubemate/plugin-rbac-common';

/** `All namespaces` or `payments-*, team-x`. */
export function scopeText(scope: RoleScope): string {
  return scope.type === 'all' ? 'All namespaces' : scope.namespaces.join(', ');
}

export const SOURCE_LABEL: Record<RoleSource, string> = {
  config: 'app-config',
  file: 'role file',
  database: 'portal',
};

/** Why a declared role cannot be edited in the UI. */
export function readOnlyReason(role: {
  source: RoleSource;
  location?: string;
}): string {
  if (role.source === 'config') {
    return `Declared in app-config (${
      role.location ?? 'kubemate.rbac.admins'
    }); change it there`;
  }
  return `Declared in ${
    role.location ?? 'a role file'
  }; edit the file (GitOps)`;
}

/** `user:default/alice` → `alice`; other namespaces stay visible. */
export function shortRef(ref: string): string {
  const m = /^(user|group):default\/(.+)$/.exec(ref);
  return m ? m[2] : ref.replace(/^(user|group):/, '');
}

export function when(iso?: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

import type { RoleScope, RoleSource } from '@kubemate/plugin-rbac-common';
import type { Formatters } from '@kubemate/plugin-kubemate-react';
import type { RbacT } from '../translation';

/** `All namespaces` or `payments-*, team-x`. */
export function scopeText(scope: RoleScope, t: RbacT): string {
  return scope.type === 'all'
    ? t('format.allNamespaces')
    : scope.namespaces.join(', ');
}

/** Where a role is declared, in words. */
export function sourceLabel(source: RoleSource, t: RbacT): string {
  return t(`format.source.${source}`);
}

/** Why a declared role cannot be edited in the UI. */
export function readOnlyReason(
  role: {
    source: RoleSource;
    location?: string;
  },
  t: RbacT,
): string {
  if (role.source === 'config') {
    return t('format.readOnlyConfig', {
      location: role.location ?? 'kubemate.rbac.admins',
    });
  }
  return role.location
    ? t('format.readOnlyFile', { location: role.location })
    : t('format.readOnlyRoleFile');
}

/** `user:default/alice` → `alice`; other namespaces stay visible. */
export function shortRef(ref: string): string {
  const m = /^(user|group):default\/(.+)$/.exec(ref);
  return m ? m[2] : ref.replace(/^(user|group):/, '');
}

/** An ISO time in the app's language (the text as given when it is not a time). */
export function when(format: Formatters, iso?: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : format.dateTime(d);
}

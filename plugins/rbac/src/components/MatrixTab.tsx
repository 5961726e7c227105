import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  Paper,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Tooltip,
} from '@material-ui/core';
import CheckIcon from '@material-ui/icons/Check';
import { EmptyState, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { TranslatedErrorPanel } from '@kubemate/plugin-kubemate-react';
import type { Role } from '@kubemate/plugin-rbac-common';
import { rbacApiRef } from '../api/RbacApi';
import { scopeText } from './format';
import { rbacTranslationRef } from '../translation';

function grants(role: Role, permission: string): boolean {
  return (
    role.permissions.includes('*') || role.permissions.includes(permission)
  );
}

/** Roles × permissions: which role grants what, grouped by plugin. */
export function MatrixTab() {
  const { t } = useTranslationRef(rbacTranslationRef);
  const api = useApi(rbacApiRef);
  const data = useAsyncRetry(async () => {
    const [roles, permissions] = await Promise.all([
      api.listRoles(),
      api.listPermissions(),
    ]);
    return { roles: roles.items, permissions: permissions.items };
  }, [api]);
  if (data.loading) return <Progress />;
  if (data.error) return <TranslatedErrorPanel error={data.error} />;
  const { roles, permissions } = data.value!;
  if (!roles.length) {
    return <EmptyState missing="data" title={t('matrix.empty')} />;
  }
  const sorted = [...permissions].sort(
    (a, b) =>
      a.pluginId.localeCompare(b.pluginId) || a.name.localeCompare(b.name),
  );
  return (
    <TableContainer component={Paper} style={{ maxHeight: '70vh' }}>
      <Table size="small" stickyHeader aria-label={t('matrix.tableLabel')}>
        <TableHead>
          <TableRow>
            <TableCell>{t('common.permission')}</TableCell>
            {roles.map(r => (
              <TableCell key={r.name} align="center">
                <Tooltip title={scopeText(r.scope, t)}>
                  <span>{r.name}</span>
                </Tooltip>
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {sorted.map(p => (
            <TableRow key={p.name} hover>
              <TableCell component="th" scope="row">
                {p.name}
              </TableCell>
              {roles.map(r => (
                <TableCell key={r.name} align="center">
                  {grants(r, p.name) ? (
                    <CheckIcon
                      fontSize="small"
                      titleAccess={t('matrix.grants', {
                        role: r.name,
                        permission: p.name,
                      })}
                    />
                  ) : null}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

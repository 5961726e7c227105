import { useState } from 'react';
import { Box, Tab, Tabs } from '@material-ui/core';
import {
  Content,
  Header,
  Page,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { usePermissionGate } from '@kubemate/plugin-kubemate-react';
import {
  rbacAuditReadPermission,
  rbacDecisionReadPermission,
  rbacRoleReadPermission,
  rbacSyncReadPermission,
} from '@kubemate/plugin-rbac-common';
import { RolesTab } from './RolesTab';
import { MatrixTab } from './MatrixTab';
import { AccessCheckTab } from './AccessCheckTab';
import { AuditTab } from './AuditTab';
import { SyncTab } from './SyncTab';
import { rbacTranslationRef } from '../translation';

const TABS = [
  {
    id: 'roles' as const,
    permission: rbacRoleReadPermission,
    render: () => <RolesTab />,
  },
  {
    id: 'matrix' as const,
    permission: rbacRoleReadPermission,
    render: () => <MatrixTab />,
  },
  {
    id: 'accessCheck' as const,
    permission: rbacDecisionReadPermission,
    render: () => <AccessCheckTab />,
  },
  {
    id: 'audit' as const,
    permission: rbacAuditReadPermission,
    render: () => <AuditTab />,
  },
  {
    id: 'sync' as const,
    permission: rbacSyncReadPermission,
    render: () => <SyncTab />,
  },
];

function TabBody(props: { index: number }) {
  const tab = TABS[props.index];
  const gate = usePermissionGate({ permission: tab.permission });
  const { t } = useTranslationRef(rbacTranslationRef);
  if (gate.loading) return <Progress />;
  if (!gate.allowed) {
    return (
      <WarningPanel
        defaultExpanded
        title={t('page.notAvailable')}
        message={gate.reason}
      />
    );
  }
  return tab.render();
}

/** The RBAC administration page: roles, matrix, access checks, audit log and sync state. */
export function RbacPage() {
  const { t } = useTranslationRef(rbacTranslationRef);
  const [index, setIndex] = useState(0);
  const gate = usePermissionGate({ permission: rbacRoleReadPermission });
  return (
    <Page themeId="tool">
      <Header title={t('page.title')} subtitle={t('page.subtitle')} />
      <Content>
        {gate.loading && <Progress />}
        {!gate.loading && !gate.allowed && (
          <WarningPanel
            defaultExpanded
            title={t('page.deniedTitle')}
            message={t('page.deniedMessage', { reason: gate.reason ?? '' })}
          />
        )}
        {gate.allowed && (
          <>
            <Tabs
              value={index}
              onChange={(_, v) => setIndex(v)}
              indicatorColor="primary"
              aria-label={t('page.tabsLabel')}
            >
              {TABS.map(tab => (
                <Tab key={tab.id} label={t(`tabs.${tab.id}`)} />
              ))}
            </Tabs>
            <Box mt={2}>
              <TabBody index={index} />
            </Box>
          </>
        )}
      </Content>
    </Page>
  );
}

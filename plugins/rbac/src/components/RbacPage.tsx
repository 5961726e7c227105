import { useState } from 'react';
import { Box, Tab, Tabs } from '@material-ui/core';
import {
  Content,
  Header,
  Page,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
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

const TABS = [
  {
    label: 'Roles',
    permission: rbacRoleReadPermission,
    render: () => <RolesTab />,
  },
  {
    label: 'Matrix',
    permission: rbacRoleReadPermission,
    render: () => <MatrixTab />,
  },
  {
    label: 'Access check',
    permission: rbacDecisionReadPermission,
    render: () => <AccessCheckTab />,
  },
  {
    label: 'Audit log',
    permission: rbacAuditReadPermission,
    render: () => <AuditTab />,
  },
  {
    label: 'Kubernetes sync',
    permission: rbacSyncReadPermission,
    render: () => <SyncTab />,
  },
];

function TabBody(props: { index: number }) {
  const tab = TABS[props.index];
  const gate = usePermissionGate({ permission: tab.permission });
  if (gate.loading) return <Progress />;
  if (!gate.allowed) {
    return (
      <WarningPanel
        defaultExpanded
        title="Not available"
        message={gate.reason}
      />
    );
  }
  return tab.render();
}

/** The RBAC administration page: roles, matrix, access checks, audit log and sync state. */
export function RbacPage() {
  const [index, setIndex] = useState(0);
  const gate = usePermissionGate({ permission: rbacRoleReadPermission });
  return (
    <Page themeId="tool">
      <Header
        title="RBAC"
        subtitle="Platform roles: who may do what in the portal, and the Kubernetes RBAC they get"
      />
      <Content>
        {gate.loading && <Progress />}
        {!gate.loading && !gate.allowed && (
          <WarningPanel
            defaultExpanded
            title="You cannot administer roles"
            message={`${gate.reason}. Ask a platform administrator for access.`}
          />
        )}
        {gate.allowed && (
          <>
            <Tabs
              value={index}
              onChange={(_, v) => setIndex(v)}
              indicatorColor="primary"
              aria-label="RBAC sections"
            >
              {TABS.map(t => (
                <Tab key={t.label} label={t.label} />
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

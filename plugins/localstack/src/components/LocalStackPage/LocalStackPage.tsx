import {
  Content,
  Header,
  Page,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import { usePermissionGate } from '@kubemate/plugin-kubemate-react';
import { localstackServerReadPermission } from '@kubemate/plugin-localstack-common';
import { LocalStackServers } from './LocalStackServers';

/** The Local stack page: the dev stack's servers as they build and start, and their logs. */
export function LocalStackPage() {
  const gate = usePermissionGate({
    permission: localstackServerReadPermission,
  });
  return (
    <Page themeId="tool">
      <Header
        title="Local stack"
        subtitle="The servers of this machine's dev stack as they build and start"
      />
      <Content>
        {gate.loading && <Progress />}
        {!gate.loading && !gate.allowed && (
          <WarningPanel
            defaultExpanded
            title="You are not allowed to see the local stack"
            message={`${gate.reason}. Ask a platform administrator for access.`}
          />
        )}
        {gate.allowed && <LocalStackServers />}
      </Content>
    </Page>
  );
}

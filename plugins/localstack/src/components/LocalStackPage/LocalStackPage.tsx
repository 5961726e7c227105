import {
  Content,
  Header,
  Page,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { usePermissionGate } from '@kubemate/plugin-kubemate-react';
import { localstackServerReadPermission } from '@kubemate/plugin-localstack-common';
import { LocalStackServers } from './LocalStackServers';
import { localstackTranslationRef } from '../../translation';

/** The Local stack page: the dev stack's servers as they build and start, and their logs. */
export function LocalStackPage() {
  const { t } = useTranslationRef(localstackTranslationRef);
  const gate = usePermissionGate({
    permission: localstackServerReadPermission,
  });
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
        {gate.allowed && <LocalStackServers />}
      </Content>
    </Page>
  );
}

import { useCallback } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { InfoCard, Progress } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { TranslatedErrorPanel } from '@kubemate/plugin-kubemate-react';
import { metricsTranslationRef } from '../../translation';
import { useApi } from '@backstage/core-plugin-api';
import { Typography } from '@material-ui/core';
import type { AlertsResponse } from '@kubemate/plugin-metrics-common';
import { metricsApiRef } from '../../api/MetricsApi';
import { AlertsTable } from './AlertsTable';

/**
 * Alerts from Alertmanager with silence / expire actions; reloads after every change.
 * `entityRef` set: that entity's alerts; else every alert the user may see.
 */
export function AlertsCard(props: { entityRef?: string; reloadKey?: unknown }) {
  const { entityRef, reloadKey } = props;
  const api = useApi(metricsApiRef);
  const { t } = useTranslationRef(metricsTranslationRef);
  const load = useCallback(
    (): Promise<AlertsResponse> =>
      entityRef ? api.entityAlerts(entityRef) : api.alerts(),
    [api, entityRef],
  );
  const state = useAsyncRetry(load, [load, reloadKey]);

  let content;
  if (state.error) {
    content = <TranslatedErrorPanel error={state.error} />;
  } else if (!state.value) {
    content = <Progress />;
  } else {
    content = (
      <AlertsTable
        alerts={state.value.alerts}
        entityRef={entityRef}
        showNamespace
        onSilence={async req => {
          await api.createSilence(req);
          state.retry();
        }}
        onExpire={async id => {
          await api.expireSilence(id);
          state.retry();
        }}
      />
    );
  }
  return (
    <InfoCard
      title={t('alertsCard.title')}
      subheader={
        state.value && (
          <Typography variant="caption" color="textSecondary">
            {t('alertsCard.fromAlertmanager', {
              scope:
                state.value.scope === 'all'
                  ? t('alertsCard.allNamespaces')
                  : t('alertsCard.namespaces', {
                      namespaces: state.value.scope.join(', '),
                    }),
            })}
          </Typography>
        )
      }
    >
      {content}
    </InfoCard>
  );
}

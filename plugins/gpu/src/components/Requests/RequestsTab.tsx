import { useMemo, useState } from 'react';
import { useApi, identityApiRef } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Box, Checkbox, FormControlLabel } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import useAsync from 'react-use/esm/useAsync';
import {
  PermissionButton,
  useErrorMessage,
} from '@kubemate/plugin-kubemate-react';
import {
  gpuRequestCreatePermission,
  type QuotaRequest,
} from '@kubemate/plugin-gpu-common';
import { gpuApiRef } from '../../api';
import { useQueues, useQuotaRequests } from '../../hooks';
import { requestTargets } from '../../lib/requests';
import { RequestForm } from '../RequestForm';
import { Loaded } from '../Section';
import { requestSummary, RequestsTable } from './RequestsTable';
import { gpuTranslationRef, type GpuT } from '../../translation';

function createdNotice(r: QuotaRequest, t: GpuT): string {
  const summary = requestSummary(r, t);
  if (r.status === 'active') return t('requests.granted', { summary });
  if (r.status === 'pending') return t('requests.requested', { summary });
  const status = t(`requests.status.${r.status}`);
  return r.error
    ? t('requests.otherWithError', { summary, status, error: r.error })
    : t('requests.other', { summary, status });
}

/** "Request GPUs" and the requests of the user (or of their teams' namespaces). */
export function RequestsTab() {
  const api = useApi(gpuApiRef);
  const { t } = useTranslationRef(gpuTranslationRef);
  const errorMessage = useErrorMessage();
  const identityApi = useApi(identityApiRef);
  const me = useAsync(
    async () => (await identityApi.getBackstageIdentity()).userEntityRef,
    [identityApi],
  ).value;
  const queues = useQueues();
  const requests = useQuotaRequests();
  const [mineOnly, setMineOnly] = useState(true);
  const [notice, setNotice] = useState<{
    severity: 'success' | 'info' | 'error';
    text: string;
  }>();
  const targets = useMemo(
    () => (queues.value ? requestTargets(queues.value) : []),
    [queues.value],
  );

  const cancel = async (r: QuotaRequest) => {
    try {
      await api.cancelRequest(r.id);
      setNotice({
        severity: 'info',
        text: t('requests.cancelled', { summary: requestSummary(r, t) }),
      });
    } catch (e) {
      setNotice({ severity: 'error', text: errorMessage(e) });
    }
    requests.retry();
  };

  return (
    <>
      {notice && (
        <Box mb={2}>
          <Alert
            severity={notice.severity}
            onClose={() => setNotice(undefined)}
            data-testid="gpu-request-notice"
          >
            {notice.text}
          </Alert>
        </Box>
      )}
      <Loaded state={requests} what={t('loaded.what.requests')}>
        {limits => (
          <Loaded state={queues} what={t('loaded.what.queues')}>
            {() => (
              <RequestForm
                targets={targets}
                limits={limits}
                onCreated={r => {
                  setNotice({ severity: 'success', text: createdNotice(r, t) });
                  requests.retry();
                  queues.retry();
                }}
              />
            )}
          </Loaded>
        )}
      </Loaded>
      <Box mt={3}>
        <FormControlLabel
          control={
            <Checkbox
              checked={mineOnly}
              onChange={e => setMineOnly(e.target.checked)}
              color="primary"
            />
          }
          label={t('requests.onlyMine')}
        />
        <Loaded state={requests} what={t('loaded.what.requests')}>
          {value => {
            const list = mineOnly
              ? value.items.filter(r => r.requestedBy === me)
              : value.items;
            return (
              <RequestsTable
                requests={list}
                title={
                  mineOnly
                    ? t('requests.myTitle', { n: String(list.length) })
                    : t('requests.allTitle', { n: String(list.length) })
                }
                emptyText={
                  mineOnly ? t('requests.myEmpty') : t('requests.allEmpty')
                }
                actions={r =>
                  r.canCancel && r.status === 'pending' ? (
                    <PermissionButton
                      permission={gpuRequestCreatePermission}
                      resourceRef={`${r.cluster}/${r.namespace}`}
                      size="small"
                      onClick={() => cancel(r)}
                      data-testid={`gpu-cancel-${r.id}`}
                    >
                      {t('requests.cancel')}
                    </PermissionButton>
                  ) : null
                }
              />
            );
          }}
        </Loaded>
      </Box>
    </>
  );
}

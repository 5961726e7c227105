import { useMemo, useState } from 'react';
import { useApi, identityApiRef } from '@backstage/core-plugin-api';
import { Box, Checkbox, FormControlLabel } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import useAsync from 'react-use/esm/useAsync';
import { PermissionButton } from '@kubemate/plugin-kubemate-react';
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

function createdNotice(r: QuotaRequest): string {
  if (r.status === 'active') {
    return `Granted: ${requestSummary(r)}, within the self-service limit.`;
  }
  if (r.status === 'pending') {
    return `Requested ${requestSummary(
      r,
    )}: it waits for a platform admin's approval.`;
  }
  return `Request ${requestSummary(r)}: ${r.status}${
    r.error ? ` (${r.error})` : ''
  }.`;
}

/** "Request GPUs" and the requests of the user (or of their teams' namespaces). */
export function RequestsTab() {
  const api = useApi(gpuApiRef);
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
      setNotice({ severity: 'info', text: `Cancelled ${requestSummary(r)}.` });
    } catch (e) {
      setNotice({ severity: 'error', text: (e as Error).message });
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
      <Loaded state={requests} what="the requests">
        {limits => (
          <Loaded state={queues} what="the queues">
            {() => (
              <RequestForm
                targets={targets}
                limits={limits}
                onCreated={r => {
                  setNotice({ severity: 'success', text: createdNotice(r) });
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
          label="Only my requests"
        />
        <Loaded state={requests} what="the requests">
          {value => {
            const list = mineOnly
              ? value.items.filter(r => r.requestedBy === me)
              : value.items;
            return (
              <RequestsTable
                requests={list}
                title={`${mineOnly ? 'My requests' : 'Requests'} (${
                  list.length
                })`}
                emptyText={
                  mineOnly
                    ? 'You have not requested GPU quota yet.'
                    : 'No GPU quota request in the namespaces you may see.'
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
                      Cancel
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

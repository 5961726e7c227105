import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { Box, Button, Grid, TextField, Typography } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type {
  CheckResponse,
  DecisionResult,
  WhatCanResponse,
  WhoCanResponse,
} from '@kubemate/plugin-rbac-common';
import { rbacApiRef } from '../api/RbacApi';
import { shortRef } from './format';
import { useSubmit } from './useSubmit';

type Answer =
  | { type: 'check'; value: CheckResponse }
  | { type: 'what'; value: WhatCanResponse }
  | { type: 'who'; value: WhoCanResponse };

const SEVERITY: Record<DecisionResult, 'success' | 'error' | 'info'> = {
  ALLOW: 'success',
  DENY: 'error',
  CONDITIONAL: 'info',
};

function resultText(r: DecisionResult) {
  if (r === 'ALLOW') return 'allowed';
  if (r === 'DENY') return 'denied';
  return 'allowed within a scope';
}

function scopeOf(s: WhatCanResponse['items'][number]['scope']): string {
  if (s === 'all') return 'everywhere';
  if (s === 'owned-entities') return 'entities the user owns';
  return `namespaces ${s.join(', ')}`;
}

/** "Can alice scale this?", "what can alice do?", "who can scale this?" — with the roles why. */
export function AccessCheckTab() {
  const api = useApi(rbacApiRef);
  const catalogApi = useApi(catalogApiRef);
  const [user, setUser] = useState('');
  const [permission, setPermission] = useState('');
  const [resourceRef, setResourceRef] = useState('');
  const [answer, setAnswer] = useState<Answer>();
  const asking = useSubmit(async (fn: () => Promise<Answer>) => {
    setAnswer(undefined);
    setAnswer(await fn());
  });

  const users = useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: { kind: 'User' },
      fields: ['kind', 'metadata.name', 'metadata.namespace'],
    });
    return items.map(e => stringifyEntityRef(e)).sort();
  }, [catalogApi]);
  const permissions = useAsync(
    async () => (await api.listPermissions()).items.map(p => p.name).sort(),
    [api],
  );

  const ask = (fn: () => Promise<Answer>) => () => asking.run(fn);
  const busy = asking.busy;
  const resource = resourceRef.trim() || undefined;

  const whatColumns: TableColumn<WhatCanResponse['items'][number]>[] = [
    { title: 'Permission', field: 'permission' },
    { title: 'Result', render: i => resultText(i.result) },
    {
      title: 'Where',
      render: i => (i.result === 'DENY' ? '' : scopeOf(i.scope)),
    },
    { title: 'Granted by', render: i => i.grantingRoles.join(', ') },
  ];
  const whoColumns: TableColumn<WhoCanResponse['items'][number]>[] = [
    { title: 'User', render: i => shortRef(i.user) },
    { title: 'Result', render: i => resultText(i.result) },
    { title: 'Granted by', render: i => i.grantingRoles.join(', ') },
  ];

  return (
    <>
      <Grid container spacing={2} alignItems="center">
        <Grid item xs={12} md={4}>
          <Autocomplete
            freeSolo
            options={users.value ?? []}
            inputValue={user}
            onInputChange={(_, v) => setUser(v)}
            renderInput={params => (
              <TextField
                {...params}
                label="User"
                placeholder="user:default/alice"
              />
            )}
          />
        </Grid>
        <Grid item xs={12} md={4}>
          <Autocomplete
            freeSolo
            options={permissions.value ?? []}
            inputValue={permission}
            onInputChange={(_, v) => setPermission(v)}
            renderInput={params => (
              <TextField
                {...params}
                label="Permission"
                placeholder="clusters.workload.scale"
              />
            )}
          />
        </Grid>
        <Grid item xs={12} md={4}>
          <TextField
            id="access-check-resource"
            fullWidth
            label="Resource (optional)"
            placeholder="dev-cluster/payments-dev/deployments/payments-api"
            value={resourceRef}
            onChange={e => setResourceRef(e.target.value)}
            helperText="A Kubernetes object (cluster/namespace/resource/name) or an entity ref"
          />
        </Grid>
      </Grid>
      <Box display="flex" style={{ gap: 8 }} mt={2}>
        <Button
          variant="contained"
          color="primary"
          disabled={busy || !user.trim() || !permission.trim()}
          onClick={ask(async () => ({
            type: 'check',
            value: await api.check({
              user: user.trim(),
              permission: permission.trim(),
              resourceRef: resource,
            }),
          }))}
        >
          Check
        </Button>
        <Button
          variant="outlined"
          disabled={busy || !user.trim()}
          onClick={ask(async () => ({
            type: 'what',
            value: await api.whatCan(user.trim()),
          }))}
        >
          What can this user do?
        </Button>
        <Button
          variant="outlined"
          disabled={busy || !permission.trim()}
          onClick={ask(async () => ({
            type: 'who',
            value: await api.whoCan({
              permission: permission.trim(),
              resourceRef: resource,
            }),
          }))}
        >
          Who has this permission?
        </Button>
      </Box>
      <Box mt={2}>
        {asking.error && <Alert severity="error">{asking.error}</Alert>}
        {answer?.type === 'check' && (
          <Alert severity={SEVERITY[answer.value.result]} role="status">
            <Typography variant="subtitle2">
              {shortRef(answer.value.user)}: {answer.value.permission}
              {answer.value.resourceRef
                ? ` on ${answer.value.resourceRef}`
                : ''}{' '}
              is {resultText(answer.value.result)}
            </Typography>
            {answer.value.reason}
          </Alert>
        )}
        {answer?.type === 'what' && (
          <Table
            title={`What ${shortRef(answer.value.user)} can do (roles: ${
              answer.value.roles.join(', ') || 'none'
            })`}
            options={{ paging: false, search: true, padding: 'dense' }}
            columns={whatColumns}
            data={answer.value.items.filter(i => i.result !== 'DENY')}
            emptyContent={
              <Box p={2}>No permission: no role grants this user anything.</Box>
            }
          />
        )}
        {answer?.type === 'who' && (
          <Table
            title={`Who has ${answer.value.permission}${
              answer.value.resourceRef ? ` on ${answer.value.resourceRef}` : ''
            }`}
            options={{ paging: false, search: true, padding: 'dense' }}
            columns={whoColumns}
            data={answer.value.items.filter(i => i.result !== 'DENY')}
            emptyContent={<Box p={2}>Nobody: no role grants it.</Box>}
          />
        )}
      </Box>
    </>
  );
}

import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { Box, Button, Grid, TextField, Typography } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
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
import { rbacTranslationRef, type RbacT } from '../translation';

type Answer =
  | { type: 'check'; value: CheckResponse }
  | { type: 'what'; value: WhatCanResponse }
  | { type: 'who'; value: WhoCanResponse };

const SEVERITY: Record<DecisionResult, 'success' | 'error' | 'info'> = {
  ALLOW: 'success',
  DENY: 'error',
  CONDITIONAL: 'info',
};

function resultText(r: DecisionResult, t: RbacT) {
  if (r === 'ALLOW') return t('access.result.allow');
  if (r === 'DENY') return t('access.result.deny');
  return t('access.result.conditional');
}

function scopeOf(
  s: WhatCanResponse['items'][number]['scope'],
  t: RbacT,
): string {
  if (s === 'all') return t('access.where.all');
  if (s === 'owned-entities') return t('access.where.owned');
  return t('access.where.namespaces', { namespaces: s.join(', ') });
}

/**
 * The backend's reason for a check (rbac-backend's reasonOf, English) in the app's language,
 * recognised by its form; a reason of another form stays as it is.
 */
export function reasonText(reason: string, t: RbacT): string {
  let m = /^No role of (.+) grants (\S+) \(denied by default\)$/.exec(reason);
  if (m) return t('access.reason.none', { user: m[1], permission: m[2] });
  m = /^Allowed by (.+)$/.exec(reason);
  if (m) return t('access.reason.allowed', { roles: m[1] });
  m = /^(.+) grants (\S+), but (.+) is outside its scope$/.exec(reason);
  if (m) {
    return t('access.reason.outsideScopeOne', {
      roles: m[1],
      permission: m[2],
      resource: m[3],
    });
  }
  m = /^(.+) grant (\S+), but (.+) is outside their scope$/.exec(reason);
  if (m) {
    return t('access.reason.outsideScopeMany', {
      roles: m[1],
      permission: m[2],
      resource: m[3],
    });
  }
  m =
    /^Granted by (.+) within the entities the user owns; pass a resourceRef for a definitive answer$/.exec(
      reason,
    );
  if (m) return t('access.reason.conditionalOwned', { roles: m[1] });
  m =
    /^Granted by (.+) within the namespaces of their scope; pass a resourceRef for a definitive answer$/.exec(
      reason,
    );
  if (m) return t('access.reason.conditionalNamespaces', { roles: m[1] });
  return reason;
}

/** "Can alice scale this?", "what can alice do?", "who can scale this?" — with the roles why. */
export function AccessCheckTab() {
  const { t } = useTranslationRef(rbacTranslationRef);
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
    { title: t('common.permission'), field: 'permission' },
    { title: t('access.resultColumn'), render: i => resultText(i.result, t) },
    {
      title: t('access.whereColumn'),
      render: i => (i.result === 'DENY' ? '' : scopeOf(i.scope, t)),
    },
    { title: t('access.grantedBy'), render: i => i.grantingRoles.join(', ') },
  ];
  const whoColumns: TableColumn<WhoCanResponse['items'][number]>[] = [
    { title: t('access.user'), render: i => shortRef(i.user) },
    { title: t('access.resultColumn'), render: i => resultText(i.result, t) },
    { title: t('access.grantedBy'), render: i => i.grantingRoles.join(', ') },
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
                label={t('access.user')}
                placeholder={t('access.userPlaceholder')}
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
                label={t('common.permission')}
                placeholder={t('access.permissionPlaceholder')}
              />
            )}
          />
        </Grid>
        <Grid item xs={12} md={4}>
          <TextField
            id="access-check-resource"
            fullWidth
            label={t('access.resource')}
            placeholder={t('access.resourcePlaceholder')}
            value={resourceRef}
            onChange={e => setResourceRef(e.target.value)}
            helperText={t('access.resourceHelper')}
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
          {t('access.check')}
        </Button>
        <Button
          variant="outlined"
          disabled={busy || !user.trim()}
          onClick={ask(async () => ({
            type: 'what',
            value: await api.whatCan(user.trim()),
          }))}
        >
          {t('access.whatCan')}
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
          {t('access.whoCan')}
        </Button>
      </Box>
      <Box mt={2}>
        {asking.error && <Alert severity="error">{asking.error}</Alert>}
        {answer?.type === 'check' && (
          <Alert severity={SEVERITY[answer.value.result]} role="status">
            <Typography variant="subtitle2">
              {answer.value.resourceRef
                ? t('access.answerOn', {
                    user: shortRef(answer.value.user),
                    permission: answer.value.permission,
                    resource: answer.value.resourceRef,
                    result: resultText(answer.value.result, t),
                  })
                : t('access.answer', {
                    user: shortRef(answer.value.user),
                    permission: answer.value.permission,
                    result: resultText(answer.value.result, t),
                  })}
            </Typography>
            {reasonText(answer.value.reason, t)}
          </Alert>
        )}
        {answer?.type === 'what' && (
          <Table
            title={t('access.whatTitle', {
              user: shortRef(answer.value.user),
              roles: answer.value.roles.join(', ') || t('common.none'),
            })}
            options={{ paging: false, search: true, padding: 'dense' }}
            columns={whatColumns}
            data={answer.value.items.filter(i => i.result !== 'DENY')}
            emptyContent={<Box p={2}>{t('access.whatEmpty')}</Box>}
          />
        )}
        {answer?.type === 'who' && (
          <Table
            title={
              answer.value.resourceRef
                ? t('access.whoTitleOn', {
                    permission: answer.value.permission,
                    resource: answer.value.resourceRef,
                  })
                : t('access.whoTitle', { permission: answer.value.permission })
            }
            options={{ paging: false, search: true, padding: 'dense' }}
            columns={whoColumns}
            data={answer.value.items.filter(i => i.result !== 'DENY')}
            emptyContent={<Box p={2}>{t('access.whoEmpty')}</Box>}
          />
        )}
      </Box>
    </>
  );
}

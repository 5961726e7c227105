import useAsync from 'react-use/esm/useAsync';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { Progress } from '@backstage/core-components';
import { TranslatedErrorPanel } from '@kubemate/plugin-kubemate-react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { tracesTranslationRef } from '../../translation';
import { useApi } from '@backstage/core-plugin-api';
import { tracesApiRef } from '../../api/TracesApi';

/** The calls between the entity's services in the last hour (self-calls left out). */
export function ServiceGraph(props: { entityRef: string }) {
  const api = useApi(tracesApiRef);
  const { t } = useTranslationRef(tracesTranslationRef);
  const deps = useAsync(
    () => api.dependencies(props.entityRef),
    [api, props.entityRef],
  );
  if (deps.loading) return <Progress />;
  if (deps.error) return <TranslatedErrorPanel error={deps.error} />;
  const edges = (deps.value?.edges ?? []).filter(e => e.parent !== e.child);
  if (!edges.length)
    return <Typography color="textSecondary">{t('graph.empty')}</Typography>;
  return (
    <Table size="small" aria-label={t('graph.label')}>
      <TableHead>
        <TableRow>
          <TableCell>{t('graph.caller')}</TableCell>
          <TableCell />
          <TableCell>{t('graph.callee')}</TableCell>
          <TableCell align="right">{t('graph.calls')}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {edges.map(e => (
          <TableRow key={`${e.parent}->${e.child}`}>
            <TableCell>{e.parent}</TableCell>
            <TableCell>→</TableCell>
            <TableCell>{e.child}</TableCell>
            <TableCell align="right">{e.callCount}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

import useAsync from 'react-use/esm/useAsync';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { tracesApiRef } from '../../api/TracesApi';

/** The calls between the entity's services in the last hour (self-calls left out). */
export function ServiceGraph(props: { entityRef: string }) {
  const api = useApi(tracesApiRef);
  const deps = useAsync(
    () => api.dependencies(props.entityRef),
    [api, props.entityRef],
  );
  if (deps.loading) return <Progress />;
  if (deps.error) return <ResponseErrorPanel error={deps.error} />;
  const edges = (deps.value?.edges ?? []).filter(e => e.parent !== e.child);
  if (!edges.length)
    return (
      <Typography color="textSecondary">
        No calls recorded in the last hour.
      </Typography>
    );
  return (
    <Table size="small" aria-label="Service graph">
      <TableHead>
        <TableRow>
          <TableCell>Caller</TableCell>
          <TableCell />
          <TableCell>Callee</TableCell>
          <TableCell align="right">Calls (1 h)</TableCell>
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

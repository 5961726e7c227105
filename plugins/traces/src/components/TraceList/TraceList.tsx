import {
  Chip,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
} from '@material-ui/core';
import type { TraceSummary } from '@kubemate/plugin-traces-common';
import { useFormatters } from '@kubemate/plugin-kubemate-react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { tracesTranslationRef } from '../../translation';
import { ms } from '../Waterfall';

/** The traces a search found; a click on one opens it. */
export function TraceList(props: {
  traces: TraceSummary[];
  onOpen: (traceId: string) => void;
}) {
  const { t: tr } = useTranslationRef(tracesTranslationRef);
  const fmt = useFormatters();
  return (
    <Table size="small" aria-label={tr('list.label')}>
      <TableHead>
        <TableRow>
          <TableCell>{tr('list.columns.started')}</TableCell>
          <TableCell>{tr('list.columns.root')}</TableCell>
          <TableCell>{tr('list.columns.duration')}</TableCell>
          <TableCell>{tr('list.columns.spans')}</TableCell>
          <TableCell>{tr('list.columns.services')}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.traces.map(t => (
          <TableRow
            key={t.traceId}
            hover
            style={{ cursor: 'pointer' }}
            onClick={() => props.onOpen(t.traceId)}
            data-trace={t.traceId}
          >
            <TableCell>{fmt.time(t.startTime / 1000)}</TableCell>
            <TableCell>
              {t.rootService}: {t.rootOperation}
              {t.errorCount > 0 && (
                <Chip
                  size="small"
                  color="secondary"
                  label={tr('list.errors', { n: String(t.errorCount) })}
                  style={{ marginLeft: 8 }}
                />
              )}
            </TableCell>
            <TableCell>{ms(t.duration)}</TableCell>
            <TableCell>{t.spanCount}</TableCell>
            <TableCell translate="no">{t.services.join(', ')}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

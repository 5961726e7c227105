import {
  Chip,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
} from '@material-ui/core';
import type { TraceSummary } from '@kubemate/plugin-traces-common';
import { ms } from '../Waterfall';

/** The traces a search found; a click on one opens it. */
export function TraceList(props: {
  traces: TraceSummary[];
  onOpen: (traceId: string) => void;
}) {
  return (
    <Table size="small" aria-label="Traces">
      <TableHead>
        <TableRow>
          <TableCell>Started</TableCell>
          <TableCell>Root</TableCell>
          <TableCell>Duration</TableCell>
          <TableCell>Spans</TableCell>
          <TableCell>Services</TableCell>
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
            <TableCell>
              {new Date(t.startTime / 1000).toLocaleTimeString()}
            </TableCell>
            <TableCell>
              {t.rootService}: {t.rootOperation}
              {t.errorCount > 0 && (
                <Chip
                  size="small"
                  color="secondary"
                  label={`${t.errorCount} errors`}
                  style={{ marginLeft: 8 }}
                />
              )}
            </TableCell>
            <TableCell>{ms(t.duration)}</TableCell>
            <TableCell>{t.spanCount}</TableCell>
            <TableCell>{t.services.join(', ')}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

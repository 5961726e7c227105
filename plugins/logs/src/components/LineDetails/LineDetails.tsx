import useAsync from 'react-use/esm/useAsync';
import {
  Box,
  Button,
  Chip,
  Drawer,
  IconButton,
  Table,
  TableBody,
  TableCell,
  TableRow,
  Typography,
} from '@material-ui/core';
import CloseIcon from '@material-ui/icons/Close';
import { Progress } from '@backstage/core-components';
import { TranslatedErrorPanel } from '@kubemate/plugin-kubemate-react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { logsTranslationRef } from '../../translation';
import { useApi } from '@backstage/core-plugin-api';
import type { LogLine } from '@kubemate/plugin-logs-common';
import { logsApiRef } from '../../api/LogsApi';
import { formatTs, parseFields } from '../../lib/query';

function ContextLines(props: { lines: LogLine[] }) {
  return (
    <Box style={{ fontFamily: 'monospace', fontSize: 12 }}>
      {props.lines.map(l => (
        <div key={l.ts} style={{ whiteSpace: 'pre-wrap', opacity: 0.75 }}>
          {formatTs(l.ts)} {l.line}
        </div>
      ))}
    </Box>
  );
}

/** A line's fields, labels and neighbours in its stream, with a link to its trace. */
export function LineDetails(props: {
  line: LogLine;
  entityRef?: string;
  traceLink?: (traceId: string) => string;
  onClose: () => void;
}) {
  const { line, entityRef, traceLink, onClose } = props;
  const api = useApi(logsApiRef);
  const { t } = useTranslationRef(logsTranslationRef);
  const context = useAsync(
    () =>
      api.context({
        labels: line.labels,
        ts: line.ts,
        before: 5,
        after: 5,
        entityRef,
      }),
    [api, line, entityRef],
  );
  const fields = parseFields(line.line);
  return (
    <Drawer anchor="right" open onClose={onClose}>
      <Box width={640} p={2} role="dialog" aria-label={t('details.label')}>
        <Box display="flex" alignItems="center" justifyContent="space-between">
          <Typography variant="h6">
            {t('details.title', { time: formatTs(line.ts) })}
          </Typography>
          <IconButton aria-label={t('details.close')} onClick={onClose}>
            <CloseIcon />
          </IconButton>
        </Box>
        <Box display="flex" flexWrap="wrap" style={{ gap: 4 }} mb={1}>
          {Object.entries(line.labels).map(([k, v]) => (
            <Chip key={k} size="small" variant="outlined" label={`${k}=${v}`} />
          ))}
        </Box>
        <Typography
          component="pre"
          style={{
            whiteSpace: 'pre-wrap',
            fontFamily: 'monospace',
            fontSize: 12,
          }}
        >
          {line.line}
        </Typography>
        {line.traceId && traceLink && (
          <Button
            variant="outlined"
            color="primary"
            href={traceLink(line.traceId)}
          >
            {t('details.viewTrace', { id: line.traceId.slice(0, 8) })}
          </Button>
        )}
        {Object.keys(fields).length > 0 && (
          <Table size="small" aria-label={t('details.fields')}>
            <TableBody>
              {Object.entries(fields).map(([k, v]) => (
                <TableRow key={k}>
                  <TableCell style={{ fontFamily: 'monospace' }}>{k}</TableCell>
                  <TableCell style={{ fontFamily: 'monospace' }}>{v}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        <Typography variant="subtitle2" style={{ marginTop: 16 }}>
          {t('details.context')}
        </Typography>
        {context.loading && <Progress />}
        {context.error && <TranslatedErrorPanel error={context.error} />}
        {context.value && (
          <>
            <ContextLines lines={context.value.before} />
            <Box
              style={{ fontFamily: 'monospace', fontSize: 12, fontWeight: 700 }}
            >
              {formatTs(line.ts)} {line.line}
            </Box>
            <ContextLines lines={context.value.after} />
          </>
        )}
      </Box>
    </Drawer>
  );
}

import { useState } from 'react';
import {
  Box,
  Button,
  Chip,
  Table,
  TableBody,
  TableCell,
  TableRow,
  Tooltip,
  Typography,
  useTheme,
} from '@material-ui/core';
import type {
  TraceWaterfall,
  WaterfallSpan,
} from '@kubemate/plugin-traces-common';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { tracesTranslationRef } from '../../translation';

export const ms = (us: number) =>
  us >= 1_000_000
    ? `${(us / 1_000_000).toFixed(2)} s`
    : `${(us / 1000).toFixed(1)} ms`;

const PALETTE = [
  '#1f77b4',
  '#2ca02c',
  '#9467bd',
  '#8c564b',
  '#17becf',
  '#bcbd22',
  '#e377c2',
];

/** A trace as a waterfall: one row per span, bars on the trace's time axis. */
export function Waterfall(props: { trace: TraceWaterfall; logsLink?: string }) {
  const { trace, logsLink } = props;
  const theme = useTheme();
  const { t } = useTranslationRef(tracesTranslationRef);
  const [open, setOpen] = useState<WaterfallSpan>();
  const color = (service: string) =>
    PALETTE[trace.services.indexOf(service) % PALETTE.length];
  return (
    <Box>
      <Box display="flex" alignItems="center" style={{ gap: 12 }} mb={1}>
        <Typography variant="subtitle1" style={{ fontFamily: 'monospace' }}>
          {trace.traceId}
        </Typography>
        <Chip size="small" label={ms(trace.duration)} />
        <Chip
          size="small"
          label={t('waterfall.spans', { n: String(trace.spans.length) })}
        />
        <Chip
          size="small"
          label={t('waterfall.errors', {
            n: String(trace.spans.filter(s => s.error).length),
          })}
          color={trace.spans.some(s => s.error) ? 'secondary' : 'default'}
        />
        {logsLink && (
          <Button
            size="small"
            variant="outlined"
            color="primary"
            href={logsLink}
          >
            {t('waterfall.logsLink')}
          </Button>
        )}
      </Box>
      <Typography variant="caption" color="textSecondary">
        {t('waterfall.legend')}
      </Typography>
      <div role="table" aria-label={t('waterfall.label')}>
        {trace.spans.map(s => {
          const left = (s.offset / trace.duration) * 100;
          const width = Math.max(0.5, (s.duration / trace.duration) * 100);
          return (
            <div
              role="row"
              key={s.spanId}
              data-span={s.spanId}
              data-error={s.error}
              data-critical={s.critical}
              tabIndex={0}
              aria-expanded={open?.spanId === s.spanId}
              onClick={() => setOpen(open?.spanId === s.spanId ? undefined : s)}
              onKeyDown={e => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  setOpen(open?.spanId === s.spanId ? undefined : s);
                }
              }}
              style={{
                display: 'flex',
                alignItems: 'center',
                cursor: 'pointer',
                minHeight: 26,
                borderBottom: `1px solid ${theme.palette.divider}`,
              }}
            >
              <div
                role="cell"
                style={{
                  width: '38%',
                  paddingLeft: 8 + s.depth * 14,
                  overflow: 'hidden',
                  whiteSpace: 'nowrap',
                  textOverflow: 'ellipsis',
                  fontSize: 13,
                }}
              >
                <span style={{ color: color(s.service), fontWeight: 600 }}>
                  {s.service}
                </span>{' '}
                <span
                  style={{
                    color: s.error ? theme.palette.error.main : undefined,
                  }}
                >
                  {s.error ? '⚠ ' : ''}
                  {s.operation}
                </span>
              </div>
              <div
                role="cell"
                style={{ width: '62%', position: 'relative', height: 18 }}
              >
                <Tooltip title={`${ms(s.offset)} + ${ms(s.duration)}`}>
                  <div
                    style={{
                      position: 'absolute',
                      left: `${left}%`,
                      width: `${width}%`,
                      top: s.critical ? 2 : 5,
                      height: s.critical ? 14 : 8,
                      background: s.error
                        ? theme.palette.error.main
                        : color(s.service),
                      opacity: s.redacted ? 0.4 : 1,
                      borderRadius: 2,
                    }}
                  />
                </Tooltip>
                <span
                  style={{
                    position: 'absolute',
                    left: `${Math.min(left + width, 88)}%`,
                    paddingLeft: 4,
                    fontSize: 11,
                    color: theme.palette.text.secondary,
                  }}
                >
                  {ms(s.duration)}
                </span>
              </div>
            </div>
          );
        })}
      </div>
      {open && (
        <Box mt={2} role="region" aria-label={t('waterfall.details')}>
          <Typography variant="subtitle2">
            {open.service} · {open.operation}{' '}
            {open.namespace ? `· ${open.namespace}` : ''}
          </Typography>
          {open.redacted ? (
            <Typography color="textSecondary">
              {t('waterfall.redacted')}
            </Typography>
          ) : (
            <Table size="small" aria-label={t('waterfall.tags')}>
              <TableBody>
                {Object.entries(open.tags).map(([k, v]) => (
                  <TableRow key={k}>
                    <TableCell style={{ fontFamily: 'monospace' }}>
                      {k}
                    </TableCell>
                    <TableCell style={{ fontFamily: 'monospace' }}>
                      {String(v)}
                    </TableCell>
                  </TableRow>
                ))}
                {open.logs.map((l, i) => (
                  <TableRow key={`log-${i}`}>
                    <TableCell>
                      {t('waterfall.log', { offset: ms(l.offset) })}
                    </TableCell>
                    <TableCell style={{ fontFamily: 'monospace' }}>
                      {Object.entries(l.fields)
                        .map(([k, v]) => `${k}=${v}`)
                        .join(' ')}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </Box>
      )}
    </Box>
  );
}

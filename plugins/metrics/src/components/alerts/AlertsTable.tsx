import { useState } from 'react';
import {
  Box,
  Chip,
  Link,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tooltip,
  Typography,
} from '@material-ui/core';
import { EmptyState } from '@backstage/core-components';
import {
  PermissionButton,
  useErrorMessage,
  useFormatters,
} from '@kubemate/plugin-kubemate-react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { metricsTranslationRef } from '../../translation';
import {
  CreateSilenceRequest,
  MetricsAlert,
  metricsSilenceCreatePermission,
  metricsSilenceExpirePermission,
} from '@kubemate/plugin-metrics-common';
import { sinceParts } from '../charts/format';
import { SilenceDialog } from './SilenceDialog';

const KNOWN_SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
type KnownSeverity = (typeof KNOWN_SEVERITIES)[number];

const SEVERITY_COLOR: Record<string, string> = {
  critical: '#b71c1c',
  error: '#d32f2f',
  warning: '#ef6c00',
  info: '#0277bd',
};

const HIDDEN_LABELS = new Set(['alertname', 'severity', 'monitor', 'replica']);

/**
 * The resource a silence permission is checked on: the alert's namespace (cluster `any` when the
 * alert carries no cluster label). No namespace: only unscoped roles may act (the backend
 * requires a namespace matcher from namespace-scoped ones).
 */
export function alertResourceRef(alert: MetricsAlert): string {
  return `${alert.labels.cluster ?? 'any'}/${alert.labels.namespace ?? 'any'}`;
}

function SeverityChip({ severity }: { severity?: string }) {
  const { t } = useTranslationRef(metricsTranslationRef);
  let label = severity;
  if (severity === undefined) label = t('alertsTable.severity.none');
  else if (KNOWN_SEVERITIES.includes(severity as KnownSeverity))
    label = t(`alertsTable.severity.${severity as KnownSeverity}`);
  return (
    <Chip
      size="small"
      label={label}
      style={{
        background: SEVERITY_COLOR[severity ?? ''] ?? '#757575',
        color: '#fff',
        fontWeight: 600,
      }}
    />
  );
}

export interface AlertsTableProps {
  alerts: MetricsAlert[];
  /** The entity the silences are created from (audit), if any. */
  entityRef?: string;
  onSilence: (request: CreateSilenceRequest) => Promise<void>;
  onExpire: (silenceId: string) => Promise<void>;
  /** Shown when there are no alerts. */
  emptyTitle?: string;
  showNamespace?: boolean;
}

/** Alerts with severity, since, labels and runbook; silence / expire buttons gated by permission. */
export function AlertsTable(props: AlertsTableProps) {
  const {
    alerts,
    entityRef,
    onSilence,
    onExpire,
    showNamespace = true,
  } = props;
  const [silencing, setSilencing] = useState<MetricsAlert>();
  const [expiring, setExpiring] = useState<string>();
  const [error, setError] = useState<string>();
  const { t } = useTranslationRef(metricsTranslationRef);
  const fmt = useFormatters();
  const errorMessage = useErrorMessage();

  if (!alerts.length) {
    return (
      <EmptyState
        missing="data"
        title={props.emptyTitle ?? t('alertsTable.emptyTitle')}
        description={t('alertsTable.emptyDescription')}
      />
    );
  }

  const expire = async (id: string) => {
    setExpiring(id);
    setError(undefined);
    try {
      await onExpire(id);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setExpiring(undefined);
    }
  };

  return (
    <>
      {error && (
        <Typography color="error" role="alert" style={{ marginBottom: 8 }}>
          {error}
        </Typography>
      )}
      <Table size="small" aria-label={t('alertsTable.label')}>
        <TableHead>
          <TableRow>
            <TableCell>{t('alertsTable.columns.severity')}</TableCell>
            <TableCell>{t('alertsTable.columns.alert')}</TableCell>
            {showNamespace && (
              <TableCell>{t('alertsTable.columns.namespace')}</TableCell>
            )}
            <TableCell>{t('alertsTable.columns.since')}</TableCell>
            <TableCell>{t('alertsTable.columns.state')}</TableCell>
            <TableCell>{t('alertsTable.columns.labels')}</TableCell>
            <TableCell align="right">
              {t('alertsTable.columns.actions')}
            </TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {alerts.map(a => {
            const silenced = a.silencedBy.length > 0;
            const ref = alertResourceRef(a);
            const ago = sinceParts(a.startsAt);
            const what = t('alertsTable.what', {
              namespace: a.labels.namespace ?? t('alertsTable.noNamespace'),
            });
            return (
              <TableRow
                key={a.fingerprint}
                data-alert={a.name}
                data-state={a.state}
              >
                <TableCell>
                  <SeverityChip severity={a.severity} />
                </TableCell>
                <TableCell>
                  {/* the rule's name and summary are the rule author's words (translate="no") */}
                  <Typography
                    variant="body2"
                    style={{ fontWeight: 600 }}
                    translate="no"
                  >
                    {a.name}
                  </Typography>
                  {a.summary && (
                    <Typography
                      variant="caption"
                      color="textSecondary"
                      translate="no"
                    >
                      {a.summary}
                    </Typography>
                  )}
                  {a.runbookUrl && (
                    <Box>
                      <Link href={a.runbookUrl} target="_blank" rel="noopener">
                        {t('alertsTable.runbook')}
                      </Link>
                    </Box>
                  )}
                </TableCell>
                {showNamespace && (
                  <TableCell style={{ whiteSpace: 'nowrap' }}>
                    {a.labels.namespace ?? '—'}
                  </TableCell>
                )}
                <TableCell style={{ whiteSpace: 'nowrap' }}>
                  <Tooltip title={fmt.dateTime(a.startsAt)}>
                    <span>
                      {t(`alertsTable.since.${ago.unit}`, {
                        n: String(ago.n),
                      })}
                    </span>
                  </Tooltip>
                </TableCell>
                <TableCell>
                  {silenced && (
                    <Chip
                      size="small"
                      label={t('alertsTable.silenced')}
                      variant="outlined"
                    />
                  )}
                  {!silenced && a.inhibitedBy.length > 0 && (
                    <Chip
                      size="small"
                      label={t('alertsTable.inhibited')}
                      variant="outlined"
                    />
                  )}
                  {a.state === 'active' && (
                    <Chip
                      size="small"
                      label={t('alertsTable.firing')}
                      color="secondary"
                    />
                  )}
                </TableCell>
                <TableCell>
                  <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
                    {Object.entries(a.labels)
                      .filter(([k]) => !HIDDEN_LABELS.has(k))
                      .map(([k, v]) => (
                        <Chip
                          key={k}
                          size="small"
                          variant="outlined"
                          label={`${k}=${v}`}
                          translate="no"
                        />
                      ))}
                  </Box>
                </TableCell>
                <TableCell align="right" style={{ whiteSpace: 'nowrap' }}>
                  {silenced ? (
                    a.silencedBy.map(id => (
                      <PermissionButton
                        key={id}
                        size="small"
                        variant="outlined"
                        permission={metricsSilenceExpirePermission}
                        resourceRef={ref}
                        what={what}
                        disabled={expiring === id}
                        onClick={() => expire(id)}
                      >
                        {expiring === id
                          ? t('alertsTable.expiring')
                          : t('alertsTable.expireSilence')}
                      </PermissionButton>
                    ))
                  ) : (
                    <PermissionButton
                      size="small"
                      variant="outlined"
                      color="primary"
                      permission={metricsSilenceCreatePermission}
                      resourceRef={ref}
                      what={what}
                      onClick={() => setSilencing(a)}
                    >
                      {t('alertsTable.silence')}
                    </PermissionButton>
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      {silencing && (
        <SilenceDialog
          alert={silencing}
          open
          onClose={() => setSilencing(undefined)}
          onSubmit={req => onSilence({ ...req, entityRef })}
        />
      )}
    </>
  );
}

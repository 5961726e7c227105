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
import { PermissionButton } from '@kubemate/plugin-kubemate-react';
import {
  CreateSilenceRequest,
  MetricsAlert,
  metricsSilenceCreatePermission,
  metricsSilenceExpirePermission,
} from '@kubemate/plugin-metrics-common';
import { since } from '../charts/format';
import { SilenceDialog } from './SilenceDialog';

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
  return (
    <Chip
      size="small"
      label={severity ?? 'none'}
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

  if (!alerts.length) {
    return (
      <EmptyState
        missing="data"
        title={props.emptyTitle ?? 'No alerts firing'}
        description="Alertmanager has no firing, pending or silenced alerts here that you may see."
      />
    );
  }

  const expire = async (id: string) => {
    setExpiring(id);
    setError(undefined);
    try {
      await onExpire(id);
    } catch (e) {
      setError((e as Error).message);
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
      <Table size="small" aria-label="Alerts">
        <TableHead>
          <TableRow>
            <TableCell>Severity</TableCell>
            <TableCell>Alert</TableCell>
            {showNamespace && <TableCell>Namespace</TableCell>}
            <TableCell>Since</TableCell>
            <TableCell>State</TableCell>
            <TableCell>Labels</TableCell>
            <TableCell align="right">Actions</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {alerts.map(a => {
            const silenced = a.silencedBy.length > 0;
            const ref = alertResourceRef(a);
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
                  <Typography variant="body2" style={{ fontWeight: 600 }}>
                    {a.name}
                  </Typography>
                  {a.summary && (
                    <Typography variant="caption" color="textSecondary">
                      {a.summary}
                    </Typography>
                  )}
                  {a.runbookUrl && (
                    <Box>
                      <Link href={a.runbookUrl} target="_blank" rel="noopener">
                        Runbook
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
                  <Tooltip title={new Date(a.startsAt).toLocaleString()}>
                    <span>{since(a.startsAt)}</span>
                  </Tooltip>
                </TableCell>
                <TableCell>
                  {silenced && (
                    <Chip size="small" label="silenced" variant="outlined" />
                  )}
                  {!silenced && a.inhibitedBy.length > 0 && (
                    <Chip size="small" label="inhibited" variant="outlined" />
                  )}
                  {a.state === 'active' && (
                    <Chip size="small" label="firing" color="secondary" />
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
                        what={`namespace ${a.labels.namespace ?? '(none)'}`}
                        disabled={expiring === id}
                        onClick={() => expire(id)}
                      >
                        {expiring === id ? 'Expiring…' : 'Expire silence'}
                      </PermissionButton>
                    ))
                  ) : (
                    <PermissionButton
                      size="small"
                      variant="outlined"
                      color="primary"
                      permission={metricsSilenceCreatePermission}
                      resourceRef={ref}
                      what={`namespace ${a.labels.namespace ?? '(none)'}`}
                      onClick={() => setSilencing(a)}
                    >
                      Silence
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

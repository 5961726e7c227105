import { useState } from 'react';
import {
  Box,
  IconButton,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tooltip,
  Typography,
} from '@material-ui/core';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import ExpandLessIcon from '@material-ui/icons/ExpandLess';
import {
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import type { CheckResult } from '@kubemate/plugin-canary-common';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useFormatters } from '@kubemate/plugin-kubemate-react';
import { formatNumber, formatRange } from '../../lib/releases';
import { canaryTranslationRef } from '../../translation';

function Verdict(props: { check: CheckResult }) {
  const { check } = props;
  const { t } = useTranslationRef(canaryTranslationRef);
  if (check.passed === true) return <StatusOK>{t('checks.pass')}</StatusOK>;
  if (check.passed === false) {
    return <StatusError>{t('checks.fail')}</StatusError>;
  }
  return <StatusWarning>{t('checks.notMeasured')}</StatusWarning>;
}

function CheckRow(props: { check: CheckResult }) {
  const { check: c } = props;
  const [open, setOpen] = useState(false);
  const { t } = useTranslationRef(canaryTranslationRef);
  const { locale } = useFormatters();
  return (
    <>
      <TableRow aria-label={t('checks.rowLabel', { name: c.name })}>
        <TableCell>
          {c.query ? (
            <Tooltip
              title={open ? t('checks.hideQuery') : t('checks.showQuery')}
            >
              <IconButton
                size="small"
                aria-label={t('checks.queryOf', { name: c.name })}
                aria-expanded={open}
                onClick={() => setOpen(!open)}
              >
                {open ? <ExpandLessIcon /> : <ExpandMoreIcon />}
              </IconButton>
            </Tooltip>
          ) : null}
          {/* the metric's and its MetricTemplate's names, as the Canary gives them */}
          <span translate="no">{c.name}</span>
          {c.template && (
            <Typography
              variant="caption"
              color="textSecondary"
              display="block"
              translate="no"
            >
              {c.template}
            </Typography>
          )}
        </TableCell>
        <TableCell>{c.interval}</TableCell>
        <TableCell>{formatRange(c)}</TableCell>
        <TableCell>
          <Typography
            variant="body2"
            color={c.passed === false ? 'error' : 'textPrimary'}
          >
            {formatNumber(c.measured, locale)}
          </Typography>
        </TableCell>
        <TableCell>
          <Verdict check={c} />
        </TableCell>
        <TableCell>
          {c.errorCode ? (
            t(`checks.errors.${c.errorCode}`, { template: c.template ?? '' })
          ) : (
            // an upstream's own message (Prometheus, the apiserver)
            <span translate="no">{c.error ?? ''}</span>
          )}
        </TableCell>
      </TableRow>
      {open && c.query && (
        <TableRow>
          <TableCell colSpan={6}>
            <Box
              component="pre"
              m={0}
              style={{ whiteSpace: 'pre-wrap', fontSize: 12 }}
              aria-label={t('checks.promqlOf', { name: c.name })}
            >
              {c.query}
            </Box>
          </TableCell>
        </TableRow>
      )}
    </>
  );
}

/**
 * The analysis checks: each threshold next to the value the portal measured with the same query
 * over the same window, pass/fail, and the query behind it.
 */
export function ChecksTable(props: { checks: CheckResult[] }) {
  const { checks } = props;
  const { t } = useTranslationRef(canaryTranslationRef);
  if (checks.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        {t('checks.none')}
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label={t('checks.tableLabel')}>
      <TableHead>
        <TableRow>
          <TableCell>{t('checks.columns.check')}</TableCell>
          <TableCell>{t('checks.columns.window')}</TableCell>
          <TableCell>{t('checks.columns.threshold')}</TableCell>
          <TableCell>{t('checks.columns.measured')}</TableCell>
          <TableCell>{t('checks.columns.result')}</TableCell>
          <TableCell>{t('checks.columns.error')}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {checks.map(c => (
          <CheckRow key={c.name} check={c} />
        ))}
      </TableBody>
    </Table>
  );
}

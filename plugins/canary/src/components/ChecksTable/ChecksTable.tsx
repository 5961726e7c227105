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
import { formatNumber, formatRange } from '../../lib/releases';

function Verdict(props: { check: CheckResult }) {
  const { check } = props;
  if (check.passed === true) return <StatusOK>pass</StatusOK>;
  if (check.passed === false) return <StatusError>fail</StatusError>;
  return <StatusWarning>not measured</StatusWarning>;
}

function CheckRow(props: { check: CheckResult }) {
  const { check: c } = props;
  const [open, setOpen] = useState(false);
  return (
    <>
      <TableRow aria-label={`Check ${c.name}`}>
        <TableCell>
          {c.query ? (
            <Tooltip title={open ? 'Hide the query' : 'Show the query'}>
              <IconButton
                size="small"
                aria-label={`Query of ${c.name}`}
                aria-expanded={open}
                onClick={() => setOpen(!open)}
              >
                {open ? <ExpandLessIcon /> : <ExpandMoreIcon />}
              </IconButton>
            </Tooltip>
          ) : null}
          {c.name}
          {c.template && (
            <Typography variant="caption" color="textSecondary" display="block">
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
            {formatNumber(c.measured)}
          </Typography>
        </TableCell>
        <TableCell>
          <Verdict check={c} />
        </TableCell>
        <TableCell>{c.error ?? ''}</TableCell>
      </TableRow>
      {open && c.query && (
        <TableRow>
          <TableCell colSpan={6}>
            <Box
              component="pre"
              m={0}
              style={{ whiteSpace: 'pre-wrap', fontSize: 12 }}
              aria-label={`PromQL of ${c.name}`}
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
  if (checks.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        This Canary's analysis has no metric checks: Flagger advances on the
        steps (and gates) only.
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label="Analysis checks">
      <TableHead>
        <TableRow>
          <TableCell>Check</TableCell>
          <TableCell>Window</TableCell>
          <TableCell>Threshold</TableCell>
          <TableCell>Measured</TableCell>
          <TableCell>Result</TableCell>
          <TableCell>Error</TableCell>
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

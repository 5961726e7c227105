import { Fragment, ReactNode, useState } from 'react';
import { Link, MarkdownContent } from '@backstage/core-components';
import {
  Box,
  Collapse,
  IconButton,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import KeyboardArrowDownIcon from '@material-ui/icons/KeyboardArrowDown';
import KeyboardArrowRightIcon from '@material-ui/icons/KeyboardArrowRight';
import type {
  CheckInfo,
  Exemption,
  Finding,
} from '@kubemate/plugin-inspections-common';
import { entityLink, formatObject, shortRef } from '../../lib/format';
import { useInspectionsFormat } from '../../lib/useInspectionsFormat';
import { SeverityLabel } from '../SeverityChips';

const mono = { fontFamily: 'monospace', whiteSpace: 'pre-wrap' as const };

function Evidence(props: {
  finding: Finding;
  check?: CheckInfo;
  exemption?: Exemption;
}) {
  const { finding, check, exemption } = props;
  const fmt = useInspectionsFormat();
  const { t } = fmt;
  const e = finding.evidence;
  return (
    <Box py={1} data-testid={`inspections-evidence-${finding.fingerprint}`}>
      {finding.status === 'exempted' && (
        <Typography variant="body2" paragraph>
          {exemption &&
            t('findings.exemptedUntil', {
              date: fmt.date(exemption.expiresAt),
              ticket: exemption.ticket,
              reason: exemption.reason,
              requester: shortRef(exemption.requestedBy),
              approver: shortRef(exemption.decidedBy),
            })}
          {!exemption &&
            (finding.exemptionId
              ? t('findings.exemptedById', { id: finding.exemptionId })
              : t('findings.exemptedUnknown'))}
        </Typography>
      )}
      <Typography variant="subtitle2">{t('findings.evidence')}</Typography>
      <Typography variant="body2">
        {t('findings.measured')} <strong>{e.measured ?? '—'}</strong> ·{' '}
        {t('findings.expected')} <strong>{e.expected ?? '—'}</strong>
      </Typography>
      {e.query && (
        <Box component="pre" my={1} p={1} bgcolor="action.hover" style={mono}>
          {e.query}
        </Box>
      )}
      {e.details && (
        <Typography variant="body2" style={mono}>
          {e.details}
        </Typography>
      )}
      <Typography variant="body2" color="textSecondary">
        {finding.owner
          ? t('findings.checkWithOwner', {
              id: finding.checkId,
              version: String(finding.checkVersion),
              owner: shortRef(finding.owner),
            })
          : t('findings.check', {
              id: finding.checkId,
              version: String(finding.checkVersion),
            })}
      </Typography>
      <Box mt={1}>
        <Typography variant="subtitle2">{t('findings.remediation')}</Typography>
        {check ? (
          <MarkdownContent content={check.remediation} />
        ) : (
          <Typography variant="body2" color="textSecondary">
            {t('findings.checkGone', { id: finding.checkId })}
          </Typography>
        )}
      </Box>
    </Box>
  );
}

/**
 * Findings with severity, object, owning entity and message; a row expands to the evidence
 * (measured vs expected, the query) and the check's remediation. Exempted findings are greyed
 * with their exemption. `action` renders a cell per finding (e.g. Request exemption).
 */
export function FindingsTable(props: {
  findings: Finding[];
  checks?: Map<string, CheckInfo>;
  exemptions?: Map<string, Exemption>;
  action?: (f: Finding) => ReactNode;
  /** A link per finding to another page (e.g. its run), after the message. */
  link?: (f: Finding) => { to: string; label: string } | undefined;
  /** Leave out the Entity column (the entity's own card). */
  hideEntity?: boolean;
}) {
  const { findings, checks, exemptions, action, link, hideEntity } = props;
  const { t } = useInspectionsFormat();
  const [open, setOpen] = useState<Set<string>>(new Set());
  const toggle = (fp: string) =>
    setOpen(s => {
      const n = new Set(s);
      if (n.has(fp)) n.delete(fp);
      else n.add(fp);
      return n;
    });
  const columns = 5 + (action ? 1 : 0) - (hideEntity ? 1 : 0);

  return (
    <Table size="small">
      <TableHead>
        <TableRow>
          <TableCell padding="checkbox" />
          <TableCell>{t('findings.severity')}</TableCell>
          <TableCell>{t('findings.object')}</TableCell>
          {!hideEntity && <TableCell>{t('findings.entity')}</TableCell>}
          <TableCell>{t('findings.message')}</TableCell>
          {action && <TableCell />}
        </TableRow>
      </TableHead>
      <TableBody>
        {findings.map(f => {
          const expanded = open.has(f.fingerprint);
          const exempted = f.status === 'exempted';
          const target = link?.(f);
          return (
            <Fragment key={f.fingerprint}>
              <TableRow
                data-testid={`inspections-finding-${f.fingerprint}`}
                data-status={f.status}
                style={exempted ? { opacity: 0.55 } : undefined}
              >
                <TableCell padding="checkbox">
                  <IconButton
                    size="small"
                    aria-label={t(
                      expanded
                        ? 'findings.hideEvidence'
                        : 'findings.showEvidence',
                      { object: formatObject(f.object) },
                    )}
                    aria-expanded={expanded}
                    onClick={() => toggle(f.fingerprint)}
                  >
                    {expanded ? (
                      <KeyboardArrowDownIcon />
                    ) : (
                      <KeyboardArrowRightIcon />
                    )}
                  </IconButton>
                </TableCell>
                <TableCell>
                  <SeverityLabel severity={f.severity} />
                  {exempted && (
                    <Typography variant="caption" component="div">
                      {t('findings.exempted')}
                    </Typography>
                  )}
                </TableCell>
                <TableCell style={{ wordBreak: 'break-word' }}>
                  {formatObject(f.object)}
                </TableCell>
                {!hideEntity && (
                  <TableCell style={{ whiteSpace: 'nowrap' }}>
                    {f.entityRef ? (
                      <Link to={entityLink(f.entityRef)}>
                        {shortRef(f.entityRef)}
                      </Link>
                    ) : (
                      '—'
                    )}
                  </TableCell>
                )}
                <TableCell>
                  <Typography variant="body2">{f.message}</Typography>
                  <Typography variant="caption" color="textSecondary">
                    {f.title}
                  </Typography>
                  {target && (
                    <Typography variant="caption" component="div">
                      <Link to={target.to}>{target.label}</Link>
                    </Typography>
                  )}
                </TableCell>
                {action && <TableCell align="right">{action(f)}</TableCell>}
              </TableRow>
              <TableRow>
                <TableCell colSpan={columns} style={{ padding: 0, border: 0 }}>
                  <Collapse in={expanded} unmountOnExit>
                    <Box px={2}>
                      <Evidence
                        finding={f}
                        check={checks?.get(f.checkId)}
                        exemption={
                          f.exemptionId
                            ? exemptions?.get(f.exemptionId)
                            : undefined
                        }
                      />
                    </Box>
                  </Collapse>
                </TableCell>
              </TableRow>
            </Fragment>
          );
        })}
      </TableBody>
    </Table>
  );
}

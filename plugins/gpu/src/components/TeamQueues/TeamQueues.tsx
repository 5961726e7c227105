import { useState } from 'react';
import { EmptyState, InfoCard } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Box, Chip, Grid, Typography } from '@material-ui/core';
import {
  gpuQueueUpdatePermission,
  type TeamQueue,
} from '@kubemate/plugin-gpu-common';
import { PermissionButton } from '@kubemate/plugin-kubemate-react';
import { shortRef, testIdPart } from '../../lib/format';
import { type GpuT, gpuTranslationRef } from '../../translation';
import { QuotaBar, QuotaLegend } from '../QuotaBar';
import { EditQueueDialog } from './EditQueueDialog';

const queueKey = (q: TeamQueue) => `${q.cluster}-${q.name}`;

const RULES = [
  'withinClusterQueue',
  'reclaimWithinCohort',
  'borrowWithinCohort',
] as const;
const POLICIES = [
  'Never',
  'LowerPriority',
  'LowerOrNewerEqualPriority',
  'Any',
] as const;

/** One preemption rule in words; a rule or policy Kueue adds later shows by its API name. */
export function preemptionText(t: GpuT, rule: string, policy: string): string {
  const p = (POLICIES as readonly string[]).includes(policy)
    ? t(`queues.preemptionPolicy.${policy as (typeof POLICIES)[number]}`)
    : policy;
  return (RULES as readonly string[]).includes(rule)
    ? t(`queues.preemptionRule.${rule as (typeof RULES)[number]}`, {
        policy: p,
      })
    : `${rule} ${p}`;
}

/** One team's ClusterQueue: state, quota vs usage per flavor, its LocalQueues and ResourceQuotas. */
export function TeamQueueCard(props: {
  queue: TeamQueue;
  /** Opens the queue editor (admins: gpu.queue.update); no button without it. */
  onEdit?: (queue: TeamQueue) => void;
}) {
  const { queue: q, onEdit } = props;
  const { t } = useTranslationRef(gpuTranslationRef);
  const id = testIdPart(queueKey(q));
  // the backend checks gpu.queue.update on every namespace of the queue's LocalQueues
  const firstNamespace = q.localQueues[0]?.namespace;
  return (
    <Box data-testid={`gpu-queue-${id}`} height="100%">
      <InfoCard
        title={q.name}
        subheader={[
          q.cluster,
          q.team ? t('queues.team', { team: shortRef(q.team) }) : undefined,
          q.cohort
            ? t('queues.cohort', { cohort: q.cohort })
            : t('queues.noCohort'),
        ]
          .filter(Boolean)
          .join(' · ')}
      >
        <Box display="flex" flexWrap="wrap" style={{ gap: 8 }} mb={1}>
          <Chip
            size="small"
            label={t('queues.usedOfNominal', {
              count: q.usedGpus,
              nominal: String(q.nominalGpus),
            })}
          />
          {q.borrowedGpus > 0 && (
            <Chip
              size="small"
              color="secondary"
              label={t('queues.borrowed', { n: String(q.borrowedGpus) })}
            />
          )}
          <Chip
            size="small"
            label={t('queues.pending', {
              n: String(q.pendingWorkloads),
            })}
          />
          <Chip
            size="small"
            label={t('queues.admitted', {
              n: String(q.admittedWorkloads),
            })}
          />
          {q.held && (
            <Chip
              size="small"
              data-testid={`gpu-queue-held-${id}`}
              style={{ background: '#ef6c00', color: '#fff' }}
              label={t('queues.held')}
            />
          )}
          {q.inactiveReason && (
            <Chip
              size="small"
              data-testid={`gpu-queue-inactive-${id}`}
              style={{ background: '#c62828', color: '#fff' }}
              label={t('queues.inactive')}
            />
          )}
        </Box>
        {q.inactiveReason && (
          <Typography variant="body2" color="error" paragraph>
            {t('queues.inactiveReason', { reason: q.inactiveReason })}
          </Typography>
        )}
        {q.flavors.length === 0 && (
          <Typography variant="body2" color="textSecondary">
            {t('queues.noGpuQuota')}
          </Typography>
        )}
        {q.flavors.map(f => (
          <Box key={f.flavor} mb={1}>
            <Typography variant="subtitle2">
              {f.flavor}
              {f.product ? ` (${f.product})` : ''}
            </Typography>
            <QuotaBar
              quota={f}
              testId={`gpu-quota-${id}-${testIdPart(f.flavor)}`}
            />
            {f.lendingLimit !== undefined && (
              <Typography
                variant="caption"
                component="div"
                color="textSecondary"
              >
                {t('queues.lends', { count: f.lendingLimit })}
              </Typography>
            )}
          </Box>
        ))}
        <Typography variant="caption" component="div" color="textSecondary">
          {q.localQueues.length
            ? t('queues.localQueues', {
                list: q.localQueues
                  .map(l => `${l.namespace}/${l.name}`)
                  .join(', '),
              })
            : t('queues.localQueuesNone')}
        </Typography>
        {q.preemption && Object.keys(q.preemption).length > 0 && (
          <Typography variant="caption" component="div" color="textSecondary">
            {t('queues.preemption', {
              list: Object.entries(q.preemption)
                .map(([rule, policy]) => preemptionText(t, rule, policy))
                .join(t('queues.listSeparator')),
            })}
          </Typography>
        )}
        {q.resourceQuotas.map(rq => (
          <Typography
            key={`${rq.namespace}/${rq.name}`}
            variant="caption"
            component="div"
            color="textSecondary"
            data-testid={`gpu-resourcequota-${testIdPart(
              `${rq.cluster}-${rq.namespace}-${rq.name}`,
            )}`}
          >
            {t('queues.resourceQuota', {
              namespace: rq.namespace,
              name: rq.name,
              used: String(rq.used),
              hard: String(rq.hard),
            })}
          </Typography>
        ))}
        {onEdit && (
          <Box mt={1}>
            <PermissionButton
              permission={gpuQueueUpdatePermission}
              resourceRef={
                firstNamespace ? `${q.cluster}/${firstNamespace}` : undefined
              }
              what={`${q.cluster}/${q.name}`}
              size="small"
              variant="outlined"
              disabled={!firstNamespace || q.flavors.length === 0}
              disabledReason={
                firstNamespace
                  ? t('queues.noQuotaToEdit')
                  : t('queues.noLocalQueue')
              }
              onClick={() => onEdit(q)}
              data-testid={`gpu-queue-edit-${id}`}
            >
              {t('queues.edit')}
            </PermissionButton>
          </Box>
        )}
      </InfoCard>
    </Box>
  );
}

/** Every team queue the user sees, as cards; an empty state when there is none. */
export function TeamQueues(props: {
  queues: TeamQueue[];
  /** Reads the queues again after an edit. */
  onChanged?: () => void;
}) {
  const { t } = useTranslationRef(gpuTranslationRef);
  const [editing, setEditing] = useState<TeamQueue>();
  if (!props.queues.length) {
    return (
      <EmptyState
        missing="data"
        title={t('queues.emptyTitle')}
        description={t('queues.emptyDescription')}
      />
    );
  }
  return (
    <>
      <Box mb={1}>
        <QuotaLegend />
      </Box>
      <Grid container spacing={2}>
        {props.queues.map(q => (
          <Grid item xs={12} md={6} lg={4} key={queueKey(q)}>
            <TeamQueueCard queue={q} onEdit={setEditing} />
          </Grid>
        ))}
      </Grid>
      <EditQueueDialog
        queue={editing}
        onClose={() => setEditing(undefined)}
        onSaved={() => props.onChanged?.()}
      />
    </>
  );
}

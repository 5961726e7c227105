import { useState } from 'react';
import { EmptyState, InfoCard } from '@backstage/core-components';
import { Box, Chip, Grid, Typography } from '@material-ui/core';
import {
  gpuQueueUpdatePermission,
  type TeamQueue,
} from '@kubemate/plugin-gpu-common';
import { PermissionButton } from '@kubemate/plugin-kubemate-react';
import { gpusText, shortRef, testIdPart } from '../../lib/format';
import { QuotaBar, QuotaLegend } from '../QuotaBar';
import { EditQueueDialog } from './EditQueueDialog';

const queueKey = (q: TeamQueue) => `${q.cluster}-${q.name}`;

/** One team's ClusterQueue: state, quota vs usage per flavor, its LocalQueues and ResourceQuotas. */
export function TeamQueueCard(props: {
  queue: TeamQueue;
  /** Opens the queue editor (admins: gpu.queue.update); no button without it. */
  onEdit?: (queue: TeamQueue) => void;
}) {
  const { queue: q, onEdit } = props;
  const id = testIdPart(queueKey(q));
  // the backend checks gpu.queue.update on every namespace of the queue's LocalQueues
  const firstNamespace = q.localQueues[0]?.namespace;
  return (
    <Box data-testid={`gpu-queue-${id}`} height="100%">
      <InfoCard
        title={q.name}
        subheader={[
          q.cluster,
          q.team ? `team ${shortRef(q.team)}` : undefined,
          q.cohort ? `cohort ${q.cohort}` : 'no cohort',
        ]
          .filter(Boolean)
          .join(' · ')}
      >
        <Box display="flex" flexWrap="wrap" style={{ gap: 8 }} mb={1}>
          <Chip
            size="small"
            label={`${gpusText(q.usedGpus)} used of ${q.nominalGpus} nominal`}
          />
          {q.borrowedGpus > 0 && (
            <Chip
              size="small"
              color="secondary"
              label={`${q.borrowedGpus} borrowed`}
            />
          )}
          <Chip size="small" label={`${q.pendingWorkloads} pending`} />
          <Chip size="small" label={`${q.admittedWorkloads} admitted`} />
          {q.held && (
            <Chip
              size="small"
              data-testid={`gpu-queue-held-${id}`}
              style={{ background: '#ef6c00', color: '#fff' }}
              label="Held: admits nothing new"
            />
          )}
          {q.inactiveReason && (
            <Chip
              size="small"
              data-testid={`gpu-queue-inactive-${id}`}
              style={{ background: '#c62828', color: '#fff' }}
              label="Inactive"
            />
          )}
        </Box>
        {q.inactiveReason && (
          <Typography variant="body2" color="error" paragraph>
            Inactive: {q.inactiveReason}
          </Typography>
        )}
        {q.flavors.length === 0 && (
          <Typography variant="body2" color="textSecondary">
            No nvidia.com/gpu quota in this queue.
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
                Lends at most {gpusText(f.lendingLimit)} of its nominal quota
              </Typography>
            )}
          </Box>
        ))}
        <Typography variant="caption" component="div" color="textSecondary">
          LocalQueues:{' '}
          {q.localQueues.length
            ? q.localQueues.map(l => `${l.namespace}/${l.name}`).join(', ')
            : 'none'}
        </Typography>
        {q.preemption && Object.keys(q.preemption).length > 0 && (
          <Typography variant="caption" component="div" color="textSecondary">
            Preemption:{' '}
            {Object.entries(q.preemption)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ')}
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
            ResourceQuota {rq.namespace}/{rq.name}: {rq.used} of {rq.hard}{' '}
            requests.nvidia.com/gpu
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
                  ? 'This queue has no nvidia.com/gpu quota to edit'
                  : 'No LocalQueue points at this queue'
              }
              onClick={() => onEdit(q)}
              data-testid={`gpu-queue-edit-${id}`}
            >
              Edit quota
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
  const [editing, setEditing] = useState<TeamQueue>();
  if (!props.queues.length) {
    return (
      <EmptyState
        missing="data"
        title="No GPU queues visible to you"
        description="Team GPU queues (Kueue ClusterQueues) show here when one of their LocalQueues is in a namespace you may read."
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

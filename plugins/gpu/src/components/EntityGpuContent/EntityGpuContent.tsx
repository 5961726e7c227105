import { useState } from 'react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { EmptyState } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Box, Grid, TextField, Typography } from '@material-ui/core';
import { useEntityGpu } from '../../hooks';
import { Loaded } from '../Section';
import { TeamQueueCard } from '../TeamQueues';
import { RANGES, UtilizationChart } from '../Utilization';
import { queueOrder, WorkloadsTable } from '../Workloads';

/**
 * Entity tab "GPU": the entity's Kueue workloads in every cluster (queue state, pending reason and
 * position, flavor, utilization), the team queues they run in, and their utilization over time.
 */
export function EntityGpuContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const [minutes, setMinutes] = useState(60);
  const gpu = useEntityGpu(entityRef, minutes);
  return (
    <Loaded state={gpu} what="the GPU workloads">
      {value => {
        if (!value.workloads.length) {
          return (
            <EmptyState
              missing="data"
              title="No GPU workloads"
              description={`No Kueue workload of ${entity.metadata.name} in the namespaces you may see: a Job labelled kueue.x-k8s.io/queue-name and backstage.io/kubernetes-id shows here.`}
            />
          );
        }
        const workloads = [...value.workloads].sort(queueOrder);
        const gpus = workloads
          .filter(w => w.state === 'admitted')
          .reduce((n, w) => n + w.gpus, 0);
        return (
          <>
            <WorkloadsTable
              workloads={workloads}
              title={`GPU workloads (${workloads.length}; ${gpus} GPUs allocated)`}
              emptyText="No pending workloads."
            />
            {value.utilization && (
              <Box mt={3}>
                <Box display="flex" alignItems="center" mb={1}>
                  <Typography variant="h6" style={{ flex: 1 }}>
                    Utilization
                  </Typography>
                  <TextField
                    select
                    label="Time range"
                    value={String(minutes)}
                    variant="outlined"
                    margin="dense"
                    onChange={e => setMinutes(Number(e.target.value))}
                    InputLabelProps={{ shrink: true }}
                    SelectProps={{ native: true }}
                  >
                    {RANGES.map(r => (
                      <option key={r.minutes} value={r.minutes}>
                        {r.label}
                      </option>
                    ))}
                  </TextField>
                </Box>
                <UtilizationChart utilization={value.utilization} />
              </Box>
            )}
            {value.queues.length > 0 && (
              <Box mt={3}>
                <Typography variant="h6" gutterBottom>
                  Team queues
                </Typography>
                <Grid container spacing={2}>
                  {value.queues.map(q => (
                    <Grid item xs={12} md={6} key={`${q.cluster}/${q.name}`}>
                      <TeamQueueCard queue={q} />
                    </Grid>
                  ))}
                </Grid>
              </Box>
            )}
          </>
        );
      }}
    </Loaded>
  );
}

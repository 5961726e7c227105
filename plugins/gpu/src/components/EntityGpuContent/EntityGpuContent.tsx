import { useState } from 'react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { EmptyState } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Box, Grid, TextField, Typography } from '@material-ui/core';
import { useEntityGpu } from '../../hooks';
import { gpuTranslationRef } from '../../translation';
import { Loaded } from '../Section';
import { TeamQueueCard } from '../TeamQueues';
import { RANGES, UtilizationChart } from '../Utilization';
import { queueOrder, WorkloadsTable } from '../Workloads';

/**
 * Entity tab "GPU": the entity's Kueue workloads in every cluster (queue state, pending reason and
 * position, flavor, utilization), the team queues they run in, and their utilization over time.
 */
export function EntityGpuContent() {
  const { t } = useTranslationRef(gpuTranslationRef);
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const [minutes, setMinutes] = useState(60);
  const gpu = useEntityGpu(entityRef, minutes);
  return (
    <Loaded state={gpu} what={t('loaded.what.gpuWorkloads')}>
      {value => {
        if (!value.workloads.length) {
          return (
            <EmptyState
              missing="data"
              title={t('entity.emptyTitle')}
              description={t('entity.emptyDescription', {
                name: entity.metadata.name,
              })}
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
              title={t('workloads.entityTitle', {
                n: String(workloads.length),
                gpus: String(gpus),
              })}
              emptyText={t('workloads.noPending')}
            />
            {value.utilization && (
              <Box mt={3}>
                <Box display="flex" alignItems="center" mb={1}>
                  <Typography variant="h6" style={{ flex: 1 }}>
                    {t('entity.utilization')}
                  </Typography>
                  <TextField
                    select
                    label={t('entity.timeRange')}
                    value={String(minutes)}
                    variant="outlined"
                    margin="dense"
                    onChange={e => setMinutes(Number(e.target.value))}
                    InputLabelProps={{ shrink: true }}
                    SelectProps={{ native: true }}
                  >
                    {RANGES.map(r => (
                      <option key={r.minutes} value={r.minutes}>
                        {t(`utilization.ranges.${r.key}`)}
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
                  {t('entity.teamQueues')}
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

import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Box, Typography } from '@material-ui/core';
import { gpuTranslationRef } from '../../translation';
import { useCapacity, useQueues } from '../../hooks';
import { Capacity } from '../Capacity';
import { Loaded } from '../Section';
import { TeamQueues } from '../TeamQueues';

/** Team quotas (usage against nominal, borrowing, state) and GPU capacity by model and cluster. */
export function OverviewTab() {
  const { t } = useTranslationRef(gpuTranslationRef);
  const queues = useQueues();
  const capacity = useCapacity();
  return (
    <>
      <Typography variant="h6" gutterBottom>
        {t('overview.teamQuotas')}
      </Typography>
      <Loaded state={queues} what={t('loaded.what.queues')}>
        {value => <TeamQueues queues={value.queues} onChanged={queues.retry} />}
      </Loaded>
      <Box mt={4}>
        <Typography variant="h6" gutterBottom>
          {t('overview.capacity')}
        </Typography>
        <Loaded state={capacity} what={t('loaded.what.capacity')}>
          {value => <Capacity capacity={value} />}
        </Loaded>
      </Box>
    </>
  );
}

import { Box, Typography } from '@material-ui/core';
import { useCapacity, useQueues } from '../../hooks';
import { Capacity } from '../Capacity';
import { Loaded } from '../Section';
import { TeamQueues } from '../TeamQueues';

/** Team quotas (usage against nominal, borrowing, state) and GPU capacity by model and cluster. */
export function OverviewTab() {
  const queues = useQueues();
  const capacity = useCapacity();
  return (
    <>
      <Typography variant="h6" gutterBottom>
        Team quotas
      </Typography>
      <Loaded state={queues} what="the queues">
        {value => <TeamQueues queues={value.queues} onChanged={queues.retry} />}
      </Loaded>
      <Box mt={4}>
        <Typography variant="h6" gutterBottom>
          Capacity
        </Typography>
        <Loaded state={capacity} what="the capacity">
          {value => <Capacity capacity={value} />}
        </Loaded>
      </Box>
    </>
  );
}

import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { EmptyState, LinkButton } from '@backstage/core-components';
import { Box, Button, Typography } from '@material-ui/core';
import { useJobs } from '../../hooks';
import { Loaded } from '../common/Loaded';
import { useFinetuningBase } from '../FinetuningPage/base';
import { JobsTable } from './JobsTable';

/** Jobs tab: every job the user may see, live; tick 2–10 of them to compare. */
export function JobsTab() {
  const base = useFinetuningBase();
  const navigate = useNavigate();
  const jobs = useJobs({});
  const [selected, setSelected] = useState<string[]>([]);
  const toggle = (id: string) =>
    setSelected(s => (s.includes(id) ? s.filter(x => x !== id) : [...s, id]));
  return (
    <Loaded state={jobs} what="the jobs">
      {value =>
        !value.items.length ? (
          <EmptyState
            missing="data"
            title="No fine-tuning jobs"
            description="No LoRA job in the namespaces you may see. Upload a dataset, then launch a job from the Launch tab."
            action={
              <LinkButton
                to={`${base}/launch`}
                variant="contained"
                color="primary"
              >
                Launch a job
              </LinkButton>
            }
          />
        ) : (
          <>
            <Box display="flex" alignItems="center" mb={1} style={{ gap: 8 }}>
              <Typography
                variant="body2"
                color="textSecondary"
                style={{ flex: 1 }}
              >
                Tick 2 to 10 runs to compare their metrics and parameters.
              </Typography>
              <Button
                variant="outlined"
                color="primary"
                disabled={selected.length < 2 || selected.length > 10}
                onClick={() =>
                  navigate(
                    `${base}/compare?ids=${selected
                      .map(encodeURIComponent)
                      .join(',')}`,
                  )
                }
                data-testid="ft-compare-selected"
              >
                Compare selected ({selected.length})
              </Button>
            </Box>
            <JobsTable
              jobs={value.items}
              title={`Jobs (${value.items.length})`}
              selected={selected}
              onToggle={toggle}
            />
          </>
        )
      }
    </Loaded>
  );
}

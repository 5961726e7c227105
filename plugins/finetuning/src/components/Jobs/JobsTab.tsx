import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { EmptyState, LinkButton } from '@backstage/core-components';
import { Box, Button, Typography } from '@material-ui/core';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { finetuningTranslationRef } from '../../translation';
import { useJobs } from '../../hooks';
import { Loaded } from '../common/Loaded';
import { useFinetuningBase } from '../FinetuningPage/base';
import { JobsTable } from './JobsTable';

/** Jobs tab: every job the user may see, live; tick 2–10 of them to compare. */
export function JobsTab() {
  const { t } = useTranslationRef(finetuningTranslationRef);
  const base = useFinetuningBase();
  const navigate = useNavigate();
  const jobs = useJobs({});
  const [selected, setSelected] = useState<string[]>([]);
  const toggle = (id: string) =>
    setSelected(s => (s.includes(id) ? s.filter(x => x !== id) : [...s, id]));
  return (
    <Loaded state={jobs} reads="jobs">
      {value =>
        !value.items.length ? (
          <EmptyState
            missing="data"
            title={t('jobs.emptyTitle')}
            description={t('jobs.emptyDescription')}
            action={
              <LinkButton
                to={`${base}/launch`}
                variant="contained"
                color="primary"
              >
                {t('jobs.launchJob')}
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
                {t('jobs.tickHint')}
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
                {t('jobs.compareSelected', { n: String(selected.length) })}
              </Button>
            </Box>
            <JobsTable
              jobs={value.items}
              title={t('jobs.title', { n: String(value.items.length) })}
              selected={selected}
              onToggle={toggle}
            />
          </>
        )
      }
    </Loaded>
  );
}

import { useSearchParams } from 'react-router-dom';
import { EmptyState } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Box, Checkbox, FormControlLabel, Typography } from '@material-ui/core';
import { useCompare, useJobs } from '../../hooks';
import { Loaded } from '../common/Loaded';
import { CompareView } from './CompareView';
import { finetuningTranslationRef } from '../../translation';

function Comparison(props: { ids: string[] }) {
  const compare = useCompare(props.ids);
  return (
    <Loaded state={compare} reads="comparison">
      {value => <CompareView compare={value} />}
    </Loaded>
  );
}

/** Compare tab: pick 2–10 runs (kept in `?ids=`), then their metrics and params side by side. */
export function CompareTab() {
  const { t } = useTranslationRef(finetuningTranslationRef);
  const [params, setParams] = useSearchParams();
  const ids = (params.get('ids') ?? '').split(',').filter(Boolean);
  const jobs = useJobs({});
  const toggle = (id: string) => {
    const next = ids.includes(id) ? ids.filter(x => x !== id) : [...ids, id];
    setParams(next.length ? { ids: next.join(',') } : {});
  };
  return (
    <>
      <Loaded state={jobs} reads="jobs">
        {value =>
          value.items.length ? (
            <Box mb={2} data-testid="ft-compare-picker">
              <Typography variant="subtitle2">{t('compare.picker')}</Typography>
              <Box display="flex" flexWrap="wrap">
                {value.items.map(j => (
                  <FormControlLabel
                    key={j.id}
                    control={
                      <Checkbox
                        size="small"
                        checked={ids.includes(j.id)}
                        onChange={() => toggle(j.id)}
                        inputProps={{
                          // @ts-expect-error data attributes pass through to the input
                          'data-testid': `ft-compare-pick-${j.name}`,
                        }}
                      />
                    }
                    label={`${j.name} (${j.namespace})`}
                  />
                ))}
              </Box>
            </Box>
          ) : null
        }
      </Loaded>
      {ids.length < 2 || ids.length > 10 ? (
        <EmptyState
          missing="data"
          title={ids.length > 10 ? t('compare.tooMany') : t('compare.pick')}
          description={t('compare.pickDescription')}
        />
      ) : (
        <Comparison ids={ids} />
      )}
    </>
  );
}

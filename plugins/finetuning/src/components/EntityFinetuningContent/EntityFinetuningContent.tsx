import { stringifyEntityRef } from '@backstage/catalog-model';
import { EmptyState, LinkButton } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Box } from '@material-ui/core';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { finetuningTranslationRef } from '../../translation';
import { useEntityJobs } from '../../hooks';
import { Loaded } from '../common/Loaded';
import { DEFAULT_BASE } from '../FinetuningPage/base';
import { JobsTable } from '../Jobs/JobsTable';

/**
 * Entity tab "Fine-tuning": the entity's jobs (launched for it, or labelled with its
 * `backstage.io/kubernetes-id`) and a Launch link prefilled with the entity.
 */
export function EntityFinetuningContent() {
  const { t } = useTranslationRef(finetuningTranslationRef);
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const jobs = useEntityJobs(entityRef);
  const ns = entity.metadata.annotations?.['backstage.io/kubernetes-namespace'];
  const launch = `${DEFAULT_BASE}/launch?entity=${encodeURIComponent(
    entityRef,
  )}${ns ? `&namespace=${encodeURIComponent(ns)}` : ''}`;
  const button = (
    <LinkButton
      to={launch}
      variant="contained"
      color="primary"
      data-testid="ft-entity-launch"
    >
      {t('entity.launch')}
    </LinkButton>
  );
  return (
    <Loaded state={jobs} reads="jobs">
      {value =>
        !value.items.length ? (
          <EmptyState
            missing="data"
            title={t('jobs.emptyTitle')}
            description={t('entity.emptyDescription', {
              name: entity.metadata.name,
            })}
            action={button}
          />
        ) : (
          <>
            <Box mb={2}>{button}</Box>
            <JobsTable
              jobs={value.items}
              title={t('entity.title', {
                name: entity.metadata.name,
                n: String(value.items.length),
              })}
            />
          </>
        )
      }
    </Loaded>
  );
}

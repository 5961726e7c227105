import { stringifyEntityRef } from '@backstage/catalog-model';
import { EmptyState, LinkButton } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Box } from '@material-ui/core';
import { useEntityJobs } from '../../hooks';
import { Loaded } from '../common/Loaded';
import { DEFAULT_BASE } from '../FinetuningPage/base';
import { JobsTable } from '../Jobs/JobsTable';

/**
 * Entity tab "Fine-tuning": the entity's jobs (launched for it, or labelled with its
 * `backstage.io/kubernetes-id`) and a Launch link prefilled with the entity.
 */
export function EntityFinetuningContent() {
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
      Launch a fine-tuning job
    </LinkButton>
  );
  return (
    <Loaded state={jobs} what="the jobs">
      {value =>
        !value.items.length ? (
          <EmptyState
            missing="data"
            title="No fine-tuning jobs"
            description={`No LoRA job of ${entity.metadata.name} in the namespaces you may see.`}
            action={button}
          />
        ) : (
          <>
            <Box mb={2}>{button}</Box>
            <JobsTable
              jobs={value.items}
              title={`Fine-tuning jobs of ${entity.metadata.name} (${value.items.length})`}
            />
          </>
        )
      }
    </Loaded>
  );
}

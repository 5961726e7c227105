import { EmptyState, Link, Table } from '@backstage/core-components';
import { Box, Typography } from '@material-ui/core';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { ServedModel } from '@kubemate/plugin-finetuning-common';
import { useModels } from '../../hooks';
import { useFinetuningFormat } from '../../lib/useFormat';
import { finetuningTranslationRef } from '../../translation';
import { UntrainedChip } from '../common/Chips';
import { Loaded } from '../common/Loaded';
import { useFinetuningBase } from '../FinetuningPage/base';

/** Models tab: the Ollama models served from jobs' adapters. */
export function ModelsTab() {
  const models = useModels();
  const base = useFinetuningBase();
  const { t } = useTranslationRef(finetuningTranslationRef);
  const format = useFinetuningFormat();
  return (
    <Loaded state={models} reads="models">
      {value =>
        !value.items.length ? (
          <EmptyState
            missing="data"
            title={t('models.emptyTitle')}
            description={t('models.emptyDescription')}
          />
        ) : (
          <>
            <Box mb={1}>
              <Typography variant="body2" color="textSecondary">
                {t('models.hint')}
              </Typography>
            </Box>
            <Table<ServedModel>
              title={t('models.title', { n: String(value.items.length) })}
              options={{ paging: false }}
              data={value.items}
              columns={[
                {
                  title: t('models.model'),
                  field: 'name',
                  render: m => (
                    <Box
                      display="flex"
                      alignItems="center"
                      style={{ gap: 8 }}
                      data-testid={`ft-model-${m.name}`}
                    >
                      <span>{m.name}</span>
                      {m.untrained && <UntrainedChip />}
                    </Box>
                  ),
                },
                {
                  title: t('models.base'),
                  render: m => `${m.baseModel} (FROM ${m.ollamaBase})`,
                },
                {
                  title: t('models.namespace'),
                  render: m => `${m.namespace} (${m.cluster})`,
                },
                {
                  title: t('models.job'),
                  render: m => (
                    <Link to={`${base}/jobs/${encodeURIComponent(m.jobId)}`}>
                      {t('models.jobLink')}
                    </Link>
                  ),
                },
                { title: t('models.adapter'), field: 'adapterUri' },
                {
                  title: t('models.created'),
                  render: m => format.byUser(m.createdAt, m.createdBy),
                },
              ]}
            />
          </>
        )
      }
    </Loaded>
  );
}

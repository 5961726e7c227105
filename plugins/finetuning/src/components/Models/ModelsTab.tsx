import { EmptyState, Link, Table } from '@backstage/core-components';
import { Box, Typography } from '@material-ui/core';
import type { ServedModel } from '@kubemate/plugin-finetuning-common';
import { useModels } from '../../hooks';
import { formatTime } from '../../lib/format';
import { UntrainedChip } from '../common/Chips';
import { Loaded } from '../common/Loaded';
import { useFinetuningBase } from '../FinetuningPage/base';

/** Models tab: the Ollama models served from jobs' adapters. */
export function ModelsTab() {
  const models = useModels();
  const base = useFinetuningBase();
  return (
    <Loaded state={models} what="the served models">
      {value =>
        !value.items.length ? (
          <EmptyState
            missing="data"
            title="No served models"
            description="Serve a finished job's adapter from its page: the Ollama model appears here and in the knowledge assistant's model picker."
          />
        ) : (
          <>
            <Box mb={1}>
              <Typography variant="body2" color="textSecondary">
                These Ollama models appear in the knowledge assistant's model
                picker.
              </Typography>
            </Box>
            <Table<ServedModel>
              title={`Served models (${value.items.length})`}
              options={{ paging: false }}
              data={value.items}
              columns={[
                {
                  title: 'Model',
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
                  title: 'Base',
                  render: m => `${m.baseModel} (FROM ${m.ollamaBase})`,
                },
                {
                  title: 'Namespace',
                  render: m => `${m.namespace} (${m.cluster})`,
                },
                {
                  title: 'Job',
                  render: m => (
                    <Link to={`${base}/jobs/${encodeURIComponent(m.jobId)}`}>
                      job
                    </Link>
                  ),
                },
                { title: 'Adapter', field: 'adapterUri' },
                {
                  title: 'Created',
                  render: m => `${formatTime(m.createdAt)} by ${m.createdBy}`,
                },
              ]}
            />
          </>
        )
      }
    </Loaded>
  );
}

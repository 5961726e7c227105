import { useParams } from 'react-router-dom';
import { EmptyState, Link, Table } from '@backstage/core-components';
import type { Sweep } from '@kubemate/plugin-finetuning-common';
import { useSweep, useSweeps } from '../../hooks';
import { formatTime } from '../../lib/format';
import { Loaded } from '../common/Loaded';
import { useFinetuningBase } from '../FinetuningPage/base';
import { SweepView } from './SweepView';

/** Sweeps tab: every sweep the user may see. */
export function SweepsTab() {
  const sweeps = useSweeps();
  const base = useFinetuningBase();
  return (
    <Loaded state={sweeps} what="the sweeps">
      {value =>
        !value.items.length ? (
          <EmptyState
            missing="data"
            title="No sweeps"
            description="Launch one from the Launch tab in Sweep mode: a grid or random search over chosen hyperparameters, each trial a job."
          />
        ) : (
          <Table<Sweep>
            title={`Sweeps (${value.items.length})`}
            options={{ paging: value.items.length > 20, pageSize: 20 }}
            data={value.items}
            columns={[
              {
                title: 'Sweep',
                field: 'name',
                render: s => (
                  <Link
                    to={`${base}/sweeps/${encodeURIComponent(s.id)}`}
                    data-testid={`ft-sweep-row-${s.name}`}
                  >
                    {s.name}
                  </Link>
                ),
              },
              {
                title: 'Namespace',
                render: s => `${s.namespace} (${s.cluster})`,
              },
              { title: 'Strategy', field: 'strategy' },
              {
                title: 'Parameters',
                render: s => Object.keys(s.space).join(', '),
              },
              { title: 'Trials', render: s => s.trialIds.length },
              {
                title: 'Objective',
                render: s => `${s.objective.goal} ${s.objective.metric}`,
              },
              {
                title: 'Created',
                render: s => `${formatTime(s.createdAt)} by ${s.createdBy}`,
              },
            ]}
          />
        )
      }
    </Loaded>
  );
}

/** `/sweeps/:id`: the sweep's trials, best highlighted. */
export function SweepPage() {
  const { id = '' } = useParams();
  const sweep = useSweep(id);
  return (
    <Loaded state={sweep} what="the sweep">
      {value => <SweepView details={value} />}
    </Loaded>
  );
}

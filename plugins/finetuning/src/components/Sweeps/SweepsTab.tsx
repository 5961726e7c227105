import { useParams } from 'react-router-dom';
import { EmptyState, Link, Table } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { Sweep } from '@kubemate/plugin-finetuning-common';
import { useSweep, useSweeps } from '../../hooks';
import { useFinetuningFormat } from '../../lib/useFormat';
import { finetuningTranslationRef } from '../../translation';
import { Loaded } from '../common/Loaded';
import { useFinetuningBase } from '../FinetuningPage/base';
import { SweepView } from './SweepView';

/** Sweeps tab: every sweep the user may see. */
export function SweepsTab() {
  const sweeps = useSweeps();
  const base = useFinetuningBase();
  const { t } = useTranslationRef(finetuningTranslationRef);
  const format = useFinetuningFormat();
  return (
    <Loaded state={sweeps} reads="sweeps">
      {value =>
        !value.items.length ? (
          <EmptyState
            missing="data"
            title={t('sweeps.emptyTitle')}
            description={t('sweeps.emptyDescription')}
          />
        ) : (
          <Table<Sweep>
            title={t('sweeps.title', { n: String(value.items.length) })}
            options={{ paging: value.items.length > 20, pageSize: 20 }}
            data={value.items}
            columns={[
              {
                title: t('sweeps.sweep'),
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
                title: t('sweeps.namespace'),
                render: s => `${s.namespace} (${s.cluster})`,
              },
              {
                title: t('sweeps.strategy'),
                field: 'strategy',
                render: s => t(`strategies.${s.strategy}` as const),
              },
              {
                title: t('sweeps.parameters'),
                render: s => Object.keys(s.space).join(', '),
              },
              { title: t('sweeps.trials'), render: s => s.trialIds.length },
              {
                title: t('sweeps.objective'),
                render: s =>
                  t('sweeps.objectiveValue', {
                    goal: t(`goals.${s.objective.goal}` as const),
                    metric: s.objective.metric,
                  }),
              },
              {
                title: t('sweeps.created'),
                render: s => format.byUser(s.createdAt, s.createdBy),
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
    <Loaded state={sweep} reads="sweep">
      {value => <SweepView details={value} />}
    </Loaded>
  );
}

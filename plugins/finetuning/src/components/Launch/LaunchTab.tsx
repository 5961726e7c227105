import { useSearchParams } from 'react-router-dom';
import { useDatasets, useOptions } from '../../hooks';
import { Loaded } from '../common/Loaded';
import { LaunchForm } from './LaunchForm';

/** Launch tab: the form on the options and datasets; `?entity=&namespace=&cluster=&dataset=` prefill it. */
export function LaunchTab() {
  const [params] = useSearchParams();
  const options = useOptions();
  const datasets = useDatasets();
  return (
    <Loaded state={options} reads="options">
      {opts => (
        <Loaded state={datasets} reads="datasets">
          {ds => (
            <LaunchForm
              options={opts}
              datasets={ds.items}
              prefill={{
                cluster: params.get('cluster') ?? undefined,
                namespace: params.get('namespace') ?? undefined,
                datasetId: params.get('dataset') ?? undefined,
                entityRef: params.get('entity') ?? undefined,
              }}
            />
          )}
        </Loaded>
      )}
    </Loaded>
  );
}

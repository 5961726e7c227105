import { WarningPanel } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { ClusterErrorsPanel } from '@kubemate/plugin-kubemate-react';
import type { GpuSourceError } from '@kubemate/plugin-gpu-common';
import { gpuTranslationRef } from '../../translation';

/** Clusters that could not be read (one panel each), and Prometheus when it could not. */
export function SourceErrors(props: { errors?: GpuSourceError[] }) {
  const { t } = useTranslationRef(gpuTranslationRef);
  const errors = props.errors ?? [];
  const prometheus = errors.filter(e => e.cluster === 'prometheus');
  return (
    <>
      <ClusterErrorsPanel
        errors={errors.filter(e => e.cluster !== 'prometheus')}
      />
      {prometheus.map(e => (
        <WarningPanel
          key="prometheus"
          severity="warning"
          title={t('loaded.prometheusFailed')}
          message={e.message}
        />
      ))}
    </>
  );
}

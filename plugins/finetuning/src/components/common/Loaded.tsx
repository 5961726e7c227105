import { ReactNode } from 'react';
import { Progress, WarningPanel } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { FinetuningSourceError } from '@kubemate/plugin-finetuning-common';
import {
  ClusterErrorsPanel,
  TranslatedErrorPanel,
  useErrorMessage,
} from '@kubemate/plugin-kubemate-react';
import { finetuningTranslationRef } from '../../translation';

const UPSTREAMS: Record<string, string> = {
  mlflow: 'MLflow',
  minio: 'MinIO',
  ollama: 'Ollama',
  kueue: 'Kueue',
};

/** Clusters that could not be read (one panel each), and MLflow / MinIO / Ollama by name. */
export function SourceErrors(props: { errors?: FinetuningSourceError[] }) {
  const { t } = useTranslationRef(finetuningTranslationRef);
  const errors = props.errors ?? [];
  const upstream = errors.filter(e => UPSTREAMS[e.source]);
  return (
    <>
      <ClusterErrorsPanel
        errors={errors
          .filter(e => !UPSTREAMS[e.source])
          .map(e => ({ cluster: e.source, message: e.message }))}
      />
      {upstream.map(e => (
        <WarningPanel
          key={e.source}
          severity="warning"
          title={t('loaded.upstreamFailed', {
            upstream: UPSTREAMS[e.source],
          })}
          message={e.message}
        />
      ))}
    </>
  );
}

/** What a {@link Loaded} reads, for its refresh warning ("the jobs"). */
export type LoadedWhat =
  | 'options'
  | 'datasets'
  | 'jobs'
  | 'job'
  | 'comparison'
  | 'sweeps'
  | 'sweep'
  | 'models';

/**
 * A read's states in one place: progress before the first answer, the error panel (the backend's
 * message, e.g. a 503 naming MLflow or the cluster) when there is nothing to show, a warning when a
 * refresh failed over a shown result, the per-source errors, then the content.
 */
export function Loaded<T extends object>(props: {
  state: { value?: T; error?: Error; loading: boolean };
  /** What is being read, for the refresh warning ("the jobs"). */
  reads: LoadedWhat;
  children: (value: T) => ReactNode;
}) {
  const { t } = useTranslationRef(finetuningTranslationRef);
  const errorMessage = useErrorMessage();
  const { value, error, loading } = props.state;
  if (!value) {
    if (error) return <TranslatedErrorPanel error={error} />;
    if (loading) return <Progress />;
    return null;
  }
  return (
    <>
      {error && (
        <WarningPanel
          severity="warning"
          title={t('loaded.refreshFailed', {
            what: t(`loaded.what.${props.reads}` as const),
          })}
          message={errorMessage(error)}
        />
      )}
      <SourceErrors
        errors={(value as { errors?: FinetuningSourceError[] }).errors}
      />
      {props.children(value)}
    </>
  );
}

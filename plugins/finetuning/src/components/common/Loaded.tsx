import { ReactNode } from 'react';
import {
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import type { FinetuningSourceError } from '@kubemate/plugin-finetuning-common';
import { ClusterErrorsPanel } from '@kubemate/plugin-kubemate-react';

const UPSTREAMS: Record<string, string> = {
  mlflow: 'MLflow',
  minio: 'MinIO',
  ollama: 'Ollama',
  kueue: 'Kueue',
};

/** Clusters that could not be read (one panel each), and MLflow / MinIO / Ollama by name. */
export function SourceErrors(props: { errors?: FinetuningSourceError[] }) {
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
          title={`${UPSTREAMS[e.source]} could not be read`}
          message={e.message}
        />
      ))}
    </>
  );
}

/**
 * A read's states in one place: progress before the first answer, the error panel (the backend's
 * message, e.g. a 503 naming MLflow or the cluster) when there is nothing to show, a warning when a
 * refresh failed over a shown result, the per-source errors, then the content.
 */
export function Loaded<T extends object>(props: {
  state: { value?: T; error?: Error; loading: boolean };
  /** What is being read, for the refresh warning ("the jobs"). */
  what: string;
  children: (value: T) => ReactNode;
}) {
  const { value, error, loading } = props.state;
  if (!value) {
    if (error) return <ResponseErrorPanel error={error} />;
    if (loading) return <Progress />;
    return null;
  }
  return (
    <>
      {error && (
        <WarningPanel
          severity="warning"
          title={`Refreshing ${props.what} failed; showing the last result`}
          message={error.message}
        />
      )}
      <SourceErrors
        errors={(value as { errors?: FinetuningSourceError[] }).errors}
      />
      {props.children(value)}
    </>
  );
}

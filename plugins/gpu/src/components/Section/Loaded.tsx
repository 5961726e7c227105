import { ReactNode } from 'react';
import { Progress, WarningPanel } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  TranslatedErrorPanel,
  useErrorMessage,
} from '@kubemate/plugin-kubemate-react';
import type { GpuSourceError } from '@kubemate/plugin-gpu-common';
import { gpuTranslationRef } from '../../translation';
import { SourceErrors } from './SourceErrors';

/**
 * A read's states in one place: progress before the first answer, the error panel (the
 * backend's message, e.g. a 503 naming the upstream) when there is nothing to show, a warning when
 * a refresh failed over a shown result, the per-source errors, then the content.
 */
export function Loaded<T extends object>(props: {
  state: { value?: T; error?: Error; loading: boolean };
  /** What is being read, for the refresh warning ("the queues"), translated. */
  what: string;
  children: (value: T) => ReactNode;
}) {
  const { t } = useTranslationRef(gpuTranslationRef);
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
          title={t('loaded.refreshFailed', { what: props.what })}
          message={errorMessage(error)}
        />
      )}
      <SourceErrors errors={(value as { errors?: GpuSourceError[] }).errors} />
      {props.children(value)}
    </>
  );
}

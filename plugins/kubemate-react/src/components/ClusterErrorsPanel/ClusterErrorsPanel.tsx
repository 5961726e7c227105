import { WarningPanel } from '@backstage/core-components';
import { useOptionalTranslationRef } from '../../i18n/useOptionalTranslationRef';
import { kubemateReactTranslationRef } from '../../translation';

/** A cluster a capability could not read, with the reason (the backend's message). */
export interface ClusterError {
  cluster: string;
  message: string;
}

/**
 * One error panel per cluster that could not be read: the rest of the page shows what the other
 * clusters returned. Renders nothing when every cluster answered.
 */
export function ClusterErrorsPanel(props: { errors: ClusterError[] }) {
  const { t } = useOptionalTranslationRef(kubemateReactTranslationRef);
  return (
    <>
      {props.errors.map(e => (
        <WarningPanel
          key={e.cluster}
          severity="error"
          title={t('clusterErrors.title', { cluster: e.cluster })}
          message={e.message}
        />
      ))}
    </>
  );
}

import { ReactNode } from 'react';
import { Button } from '@material-ui/core';
import { Alert, AlertTitle } from '@material-ui/lab';
import {
  TranslatedErrorPanel,
  useErrorMessage,
} from '@kubemate/plugin-kubemate-react';
import { RagT, useRagTranslation } from '../../hooks/useRagTranslation';
import { shownError, ShownError, UPSTREAM_TITLES } from '../../lib/errors';

/** The title of an error: what it means for the user, the upstream named for a 503. */
export function errorTitle(error: ShownError, what: string, t: RagT): string {
  if (error.upstream) {
    return t('errors.upstream', {
      upstream: UPSTREAM_TITLES[error.upstream],
      what,
    });
  }
  switch (error.status) {
    case 400:
      return t('errors.badRequest', { what });
    case 403:
      return t('errors.forbidden', { what });
    case 404:
      return t('errors.notFound', { what });
    case 503:
      return t('errors.unavailable', { what });
    default:
      return t('errors.other', { what });
  }
}

/**
 * A failed backend call, with the backend's own text (translated when it carries a known code):
 * 400 / 403 / 404 / 503 as an alert titled by what it means (a 503 names the upstream that is
 * down), anything else in the error panel.
 */
export function ErrorNotice(props: {
  error: unknown;
  /** what failed, as a verb phrase (translated): "read the knowledge bases" */
  what: string;
  onRetry?: () => void;
  children?: ReactNode;
  'data-testid'?: string;
}) {
  const { error, what, onRetry } = props;
  const { t } = useRagTranslation();
  const errorMessage = useErrorMessage();
  const shown = shownError(error);
  const message = errorMessage(shown);
  const known = shown.upstream || [400, 403, 404, 503].includes(shown.status!);
  if (!known && error instanceof Error) {
    return (
      <div data-testid={props['data-testid']}>
        <TranslatedErrorPanel
          error={error}
          title={t('errors.withMessage', {
            title: errorTitle(shown, what, t),
            message,
          })}
        />
      </div>
    );
  }
  return (
    <Alert
      data-testid={props['data-testid']}
      severity={shown.status === 403 || shown.status === 404 ? 'info' : 'error'}
      action={
        onRetry && (
          <Button color="inherit" size="small" onClick={onRetry}>
            {t('errors.retry')}
          </Button>
        )
      }
    >
      <AlertTitle>{errorTitle(shown, what, t)}</AlertTitle>
      {message}
      {props.children}
    </Alert>
  );
}

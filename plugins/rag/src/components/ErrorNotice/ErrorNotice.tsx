import { ReactNode } from 'react';
import { Button } from '@material-ui/core';
import { Alert, AlertTitle } from '@material-ui/lab';
import { ResponseErrorPanel } from '@backstage/core-components';
import { shownError, ShownError, UPSTREAM_TITLES } from '../../lib/errors';

/** The title of an error: what it means for the user, the upstream named for a 503. */
export function errorTitle(error: ShownError, what: string): string {
  if (error.upstream) {
    return `${
      UPSTREAM_TITLES[error.upstream]
    } is unavailable: cannot ${what} right now`;
  }
  switch (error.status) {
    case 400:
      return `Cannot ${what}: the request was refused`;
    case 403:
      return `You may not ${what}`;
    case 404:
      return `Cannot ${what}: not found`;
    case 503:
      return `A server the knowledge assistant needs is unavailable: cannot ${what} right now`;
    default:
      return `Cannot ${what}`;
  }
}

/**
 * A failed backend call, with the backend's own text: 400 / 403 / 404 / 503 as an alert titled
 * by what it means (a 503 names the upstream that is down), anything else in the error panel.
 */
export function ErrorNotice(props: {
  error: unknown;
  /** what failed, as a verb phrase: "read the knowledge bases" */
  what: string;
  onRetry?: () => void;
  children?: ReactNode;
  'data-testid'?: string;
}) {
  const { error, what, onRetry } = props;
  const shown = shownError(error);
  const known = shown.upstream || [400, 403, 404, 503].includes(shown.status!);
  if (!known && error instanceof Error) {
    return (
      <div data-testid={props['data-testid']}>
        <ResponseErrorPanel
          error={error}
          title={`${errorTitle(shown, what)}: ${shown.message}`}
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
            Retry
          </Button>
        )
      }
    >
      <AlertTitle>{errorTitle(shown, what)}</AlertTitle>
      {shown.message}
      {props.children}
    </Alert>
  );
}

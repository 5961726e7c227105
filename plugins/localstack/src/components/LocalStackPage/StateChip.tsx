import { Chip, makeStyles } from '@material-ui/core';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { DevStackServerState } from '@kubemate/plugin-localstack-common';
import { localstackTranslationRef } from '../../translation';

const useStyles = makeStyles(theme => ({
  up: { backgroundColor: theme.palette.success.main, color: '#fff' },
  failed: { backgroundColor: theme.palette.error.main, color: '#fff' },
  building: { backgroundColor: theme.palette.warning.main, color: '#000' },
  starting: { backgroundColor: theme.palette.info.main, color: '#fff' },
  pending: {},
  stopped: { color: theme.palette.text.secondary },
}));

/** The server's state as a coloured chip. */
export function StateChip(props: { state: DevStackServerState }) {
  const classes = useStyles();
  const { t } = useTranslationRef(localstackTranslationRef);
  return (
    <Chip
      size="small"
      label={t(`states.${props.state}`)}
      className={classes[props.state]}
      variant={props.state === 'stopped' ? 'outlined' : 'default'}
      data-testid={`state-${props.state}`}
    />
  );
}

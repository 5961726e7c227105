import { Chip, makeStyles } from '@material-ui/core';
import type { DevStackServerState } from '@kubemate/plugin-localstack-common';

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
  return (
    <Chip
      size="small"
      label={props.state}
      className={classes[props.state]}
      variant={props.state === 'stopped' ? 'outlined' : 'default'}
      data-testid={`state-${props.state}`}
    />
  );
}

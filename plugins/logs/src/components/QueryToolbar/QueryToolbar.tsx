import {
  Box,
  Button,
  FormControlLabel,
  Switch,
  TextField,
  Typography,
} from '@material-ui/core';
import { useLogQuery } from '../../hooks';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { logsTranslationRef } from '../../translation';
import { QueryBuilder } from '../QueryBuilder';

/**
 * The query controls: the builder or the raw LogQL editor (with the syntax error), "Run query",
 * "Live tail" and "Download" (disabled while the query does not parse), and the query the
 * builder makes.
 */
export function QueryToolbar(props: {
  logQuery: ReturnType<typeof useLogQuery>;
  loading: boolean;
  tailing: boolean;
  onTailingChange: (on: boolean) => void;
  onRun: () => void;
  onDownload: () => void;
}) {
  const { logQuery, loading, tailing } = props;
  const { raw, setRaw, query, syntaxError } = logQuery;
  const { t } = useTranslationRef(logsTranslationRef);
  return (
    <>
      <Box
        display="flex"
        flexWrap="wrap"
        alignItems="center"
        style={{ gap: 12 }}
        mb={2}
      >
        {raw === undefined && (
          <QueryBuilder
            value={logQuery.builder}
            onChange={logQuery.updateBuilder}
          />
        )}
        <FormControlLabel
          control={
            <Switch
              checked={raw !== undefined}
              onChange={e => setRaw(e.target.checked ? query : undefined)}
            />
          }
          label={t('toolbar.raw')}
        />
        <Button
          variant="contained"
          color="primary"
          onClick={props.onRun}
          disabled={Boolean(syntaxError) || loading || tailing}
        >
          {t('toolbar.run')}
        </Button>
        <FormControlLabel
          control={
            <Switch
              checked={tailing}
              onChange={e => props.onTailingChange(e.target.checked)}
              disabled={Boolean(syntaxError)}
            />
          }
          label={t('toolbar.liveTail')}
        />
        <Button
          variant="outlined"
          onClick={props.onDownload}
          disabled={Boolean(syntaxError) || tailing}
        >
          {t('toolbar.download')}
        </Button>
      </Box>
      {raw !== undefined && (
        <TextField
          id="logs-raw"
          label="LogQL"
          variant="outlined"
          fullWidth
          multiline
          minRows={2}
          value={raw}
          onChange={e => setRaw(e.target.value)}
          error={Boolean(syntaxError)}
          helperText={syntaxError ?? t('toolbar.scoped')}
          inputProps={{
            style: { fontFamily: 'monospace' },
            spellCheck: false,
          }}
          style={{ marginBottom: 16 }}
        />
      )}
      {raw === undefined && (
        <Typography
          variant="caption"
          color="textSecondary"
          component="div"
          style={{ fontFamily: 'monospace', marginBottom: 8 }}
        >
          {query}
        </Typography>
      )}
    </>
  );
}

import {
  Box,
  Button,
  FormControl,
  FormControlLabel,
  InputLabel,
  MenuItem,
  Select,
  Switch,
  TextField,
} from '@material-ui/core';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { tracesTranslationRef } from '../../translation';
import { useTraceSearch } from '../../hooks/useTraceSearch';

const LOOKBACKS = ['15m', '1h', '6h', '1d'] as const;

/** Examples of Jaeger's duration and tag syntax: the same in every language. */
const EXAMPLES = {
  minDuration: '100ms',
  maxDuration: '2s',
  tags: 'http.route=/v1/refunds',
};

/** Operation, duration bounds, tags, lookback and "errors only"; Search submits them. */
export function TraceSearchForm(props: {
  search: ReturnType<typeof useTraceSearch>;
}) {
  const { form, update: set, tagsText, setTagsText, tags } = props.search;
  const { t } = useTranslationRef(tracesTranslationRef);
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      alignItems="center"
      style={{ gap: 12 }}
      mb={2}
    >
      <TextField
        id="traces-operation"
        label={t('search.operation')}
        size="small"
        variant="outlined"
        value={form.operation ?? ''}
        onChange={e => set({ operation: e.target.value || undefined })}
      />
      <TextField
        id="traces-min"
        label={t('search.minDuration')}
        placeholder={EXAMPLES.minDuration}
        size="small"
        variant="outlined"
        value={form.minDuration ?? ''}
        onChange={e => set({ minDuration: e.target.value || undefined })}
        style={{ width: 130 }}
      />
      <TextField
        id="traces-max"
        label={t('search.maxDuration')}
        placeholder={EXAMPLES.maxDuration}
        size="small"
        variant="outlined"
        value={form.maxDuration ?? ''}
        onChange={e => set({ maxDuration: e.target.value || undefined })}
        style={{ width: 130 }}
      />
      <TextField
        id="traces-tags"
        label={t('search.tags')}
        placeholder={EXAMPLES.tags}
        size="small"
        variant="outlined"
        value={tagsText}
        onChange={e => setTagsText(e.target.value)}
        error={tags === undefined}
        helperText={tags === undefined ? t('search.tagsHelp') : undefined}
      />
      <FormControl variant="outlined" size="small" style={{ minWidth: 120 }}>
        <InputLabel id="traces-lookback-label">
          {t('search.lookback')}
        </InputLabel>
        <Select
          labelId="traces-lookback-label"
          id="traces-lookback"
          label={t('search.lookback')}
          value={form.lookback}
          onChange={e => set({ lookback: String(e.target.value) })}
        >
          {LOOKBACKS.map(l => (
            <MenuItem key={l} value={l}>
              {t(`search.lookbacks.${l}`)}
            </MenuItem>
          ))}
        </Select>
      </FormControl>
      <FormControlLabel
        control={
          <Switch
            checked={form.errorsOnly}
            onChange={e => set({ errorsOnly: e.target.checked })}
          />
        }
        label={t('search.errorsOnly')}
      />
      <Button
        variant="contained"
        color="primary"
        disabled={tags === undefined}
        onClick={props.search.submit}
      >
        {t('search.submit')}
      </Button>
    </Box>
  );
}

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
import { useTraceSearch } from '../../hooks/useTraceSearch';

/** Operation, duration bounds, tags, lookback and "errors only"; Search submits them. */
export function TraceSearchForm(props: {
  search: ReturnType<typeof useTraceSearch>;
}) {
  const { form, update: set, tagsText, setTagsText, tags } = props.search;
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
        label="Operation"
        size="small"
        variant="outlined"
        value={form.operation ?? ''}
        onChange={e => set({ operation: e.target.value || undefined })}
      />
      <TextField
        id="traces-min"
        label="Min duration"
        placeholder="100ms"
        size="small"
        variant="outlined"
        value={form.minDuration ?? ''}
        onChange={e => set({ minDuration: e.target.value || undefined })}
        style={{ width: 130 }}
      />
      <TextField
        id="traces-max"
        label="Max duration"
        placeholder="2s"
        size="small"
        variant="outlined"
        value={form.maxDuration ?? ''}
        onChange={e => set({ maxDuration: e.target.value || undefined })}
        style={{ width: 130 }}
      />
      <TextField
        id="traces-tags"
        label="Tags"
        placeholder="http.route=/v1/refunds"
        size="small"
        variant="outlined"
        value={tagsText}
        onChange={e => setTagsText(e.target.value)}
        error={tags === undefined}
        helperText={
          tags === undefined ? 'key=value, separated by spaces' : undefined
        }
      />
      <FormControl variant="outlined" size="small" style={{ minWidth: 120 }}>
        <InputLabel id="traces-lookback-label">Lookback</InputLabel>
        <Select
          labelId="traces-lookback-label"
          id="traces-lookback"
          label="Lookback"
          value={form.lookback}
          onChange={e => set({ lookback: String(e.target.value) })}
        >
          <MenuItem value="15m">15 min</MenuItem>
          <MenuItem value="1h">1 hour</MenuItem>
          <MenuItem value="6h">6 hours</MenuItem>
          <MenuItem value="1d">1 day</MenuItem>
        </Select>
      </FormControl>
      <FormControlLabel
        control={
          <Switch
            checked={form.errorsOnly}
            onChange={e => set({ errorsOnly: e.target.checked })}
          />
        }
        label="Errors only"
      />
      <Button
        variant="contained"
        color="primary"
        disabled={tags === undefined}
        onClick={props.search.submit}
      >
        Search
      </Button>
    </Box>
  );
}

import { memo } from 'react';
import { TextField } from '@material-ui/core';
import type { GenerationModels } from '@kubemate/plugin-rag-common';

export interface ModelPickerProps {
  /** the models `GET /models` lists (undefined while loading or when it failed) */
  models?: GenerationModels;
  /** the model picked; undefined = the configured default */
  value?: string;
  onChange: (model: string | undefined) => void;
  disabled?: boolean;
}

/**
 * The generation model a question is answered with: the configured model (the default) or a
 * fine-tuned model served by the fine-tuning plugin (marked "fine-tuned"). Until the list arrives
 * (or when it cannot be read) the configured model answers and the picker is disabled.
 */
export const ModelPicker = memo(function ModelPickerSelect(
  props: ModelPickerProps,
) {
  const { models, value, onChange, disabled } = props;
  const items = models?.items ?? [];
  const current =
    value && items.some(m => m.name === value) ? value : models?.default ?? '';
  const fineTuned = items.filter(m => m.fineTuned).length;
  let helperText = fineTuned
    ? `${fineTuned} fine-tuned model${fineTuned > 1 ? 's' : ''} available`
    : 'No fine-tuned model is served yet';
  if (models?.unavailable) {
    helperText = `Fine-tuned models could not be listed: ${models.unavailable}`;
  }
  return (
    <TextField
      select
      label="Model"
      value={current}
      onChange={e =>
        onChange(
          e.target.value && e.target.value !== models?.default
            ? e.target.value
            : undefined,
        )
      }
      disabled={disabled || !models}
      variant="outlined"
      size="small"
      style={{ minWidth: 260 }}
      helperText={models ? helperText : 'Reading the models…'}
      SelectProps={{ native: true }}
      inputProps={{ 'data-testid': 'rag-model', 'aria-label': 'Model' }}
    >
      {!models && <option value="">the configured model</option>}
      {items.map(m => (
        <option key={m.name} value={m.name}>
          {m.name}
          {m.default ? ' (default)' : ''}
          {m.fineTuned ? ' — fine-tuned' : ''}
        </option>
      ))}
    </TextField>
  );
});

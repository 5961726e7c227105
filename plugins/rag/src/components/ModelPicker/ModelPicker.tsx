import { memo } from 'react';
import { TextField } from '@material-ui/core';
import type { GenerationModels } from '@kubemate/plugin-rag-common';
import { useRagTranslation } from '../../hooks/useRagTranslation';

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
  const { t } = useRagTranslation();
  const items = models?.items ?? [];
  const current =
    value && items.some(m => m.name === value) ? value : models?.default ?? '';
  const fineTuned = items.filter(m => m.fineTuned).length;
  let helperText: string = fineTuned
    ? t('modelPicker.fineTunedAvailable', { count: fineTuned })
    : t('modelPicker.noFineTuned');
  if (models?.unavailable) {
    helperText = t('modelPicker.unavailable', { reason: models.unavailable });
  }
  const optionText = (m: GenerationModels['items'][number]) => {
    if (m.default && m.fineTuned) {
      return t('modelPicker.optionDefaultFineTuned', { name: m.name });
    }
    if (m.default) return t('modelPicker.optionDefault', { name: m.name });
    if (m.fineTuned) return t('modelPicker.optionFineTuned', { name: m.name });
    return m.name;
  };
  return (
    <TextField
      select
      label={t('modelPicker.label')}
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
      helperText={models ? helperText : t('modelPicker.reading')}
      SelectProps={{ native: true }}
      inputProps={{
        'data-testid': 'rag-model',
        'aria-label': t('modelPicker.label'),
      }}
    >
      {!models && <option value="">{t('modelPicker.configured')}</option>}
      {items.map(m => (
        <option key={m.name} value={m.name}>
          {optionText(m)}
        </option>
      ))}
    </TextField>
  );
});

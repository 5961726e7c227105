import {
  Checkbox,
  FormControl,
  FormControlLabel,
  FormGroup,
  FormLabel,
  Tooltip,
} from '@material-ui/core';
import type { Collection } from '@kubemate/plugin-rag-common';
import { useRagTranslation } from '../../hooks/useRagTranslation';

/**
 * Which knowledge bases to ask: a checkbox per collection the user may query (labelled by its
 * title) and one for all of them.
 */
export function CollectionPicker(props: {
  collections: Collection[];
  selected: ReadonlySet<string>;
  onChange: (selected: Set<string>) => void;
  disabled?: boolean;
}) {
  const { collections, selected, onChange, disabled } = props;
  const { t } = useRagTranslation();
  const all = collections.every(c => selected.has(c.name));
  const some = collections.some(c => selected.has(c.name));
  const toggle = (name: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(name);
    else next.delete(name);
    onChange(next);
  };
  return (
    <FormControl component="fieldset" disabled={disabled} margin="dense">
      <FormLabel component="legend">{t('collectionPicker.label')}</FormLabel>
      <FormGroup row data-testid="rag-collection-picker">
        {collections.length > 1 && (
          <FormControlLabel
            label={t('collectionPicker.all')}
            control={
              <Checkbox
                checked={all}
                indeterminate={some && !all}
                onChange={(_, on) =>
                  onChange(new Set(on ? collections.map(c => c.name) : []))
                }
                inputProps={
                  { 'data-testid': 'rag-collection-option-all' } as any
                }
              />
            }
          />
        )}
        {collections.map(c => (
          <Tooltip key={c.name} title={c.description || c.name}>
            <FormControlLabel
              label={c.title || c.name}
              control={
                <Checkbox
                  checked={selected.has(c.name)}
                  onChange={(_, on) => toggle(c.name, on)}
                  value={c.name}
                  inputProps={
                    { 'data-testid': `rag-collection-option-${c.name}` } as any
                  }
                />
              }
            />
          </Tooltip>
        ))}
      </FormGroup>
    </FormControl>
  );
}

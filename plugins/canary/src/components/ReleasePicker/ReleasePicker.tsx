import { Box, Chip } from '@material-ui/core';
import type { ReleaseSummary } from '@kubemate/plugin-canary-common';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { isActive, keyOf } from '../../lib/releases';
import { canaryTranslationRef } from '../../translation';

/** The entity's Canaries (one per cluster/namespace, usually): pick the one to show. */
export function ReleasePicker(props: {
  canaries: ReleaseSummary[];
  selected?: string;
  onSelect: (key: string) => void;
}) {
  const { canaries, selected, onSelect } = props;
  const { t } = useTranslationRef(canaryTranslationRef);
  if (canaries.length < 2) return null;
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      role="list"
      aria-label={t('picker.label')}
    >
      {canaries.map(c => (
        <Box key={keyOf(c)} mr={1} mb={1} role="listitem">
          <Chip
            clickable
            color={keyOf(c) === selected ? 'primary' : 'default'}
            variant={isActive(c.phase) ? 'default' : 'outlined'}
            label={`${keyOf(c)} · ${t(`phases.${c.phase}`)} · ${
              c.canaryWeight
            }%`}
            onClick={() => onSelect(keyOf(c))}
          />
        </Box>
      ))}
    </Box>
  );
}

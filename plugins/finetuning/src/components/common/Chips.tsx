import { Chip, Tooltip } from '@material-ui/core';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { JobState } from '@kubemate/plugin-finetuning-common';
import { finetuningTranslationRef } from '../../translation';

const COLORS: Record<JobState, string> = {
  Queued: '#f9a825',
  Starting: '#0288d1',
  Running: '#1565c0',
  Succeeded: '#2e7d32',
  Failed: '#c62828',
  Cancelled: '#616161',
  Unknown: '#9e9e9e',
};

/** A job's state as a coloured chip. */
export function StateChip(props: { state: JobState; testId?: string }) {
  const { t } = useTranslationRef(finetuningTranslationRef);
  return (
    <Chip
      size="small"
      label={
        COLORS[props.state] ? t(`states.${props.state}` as const) : props.state
      }
      data-testid={props.testId}
      data-state={props.state}
      style={{ background: COLORS[props.state] ?? '#9e9e9e', color: '#fff' }}
    />
  );
}

/** The chip saying a run's metrics and logs come from the dev stack's demo trainer. */
export function DemoChip(props: { testId?: string }) {
  const { t } = useTranslationRef(finetuningTranslationRef);
  return (
    <Tooltip title={t('chips.demoTooltip')}>
      <Chip
        size="small"
        label={t('chips.demoLabel')}
        data-testid={props.testId ?? 'ft-demo-chip'}
        style={{ background: '#6a1b9a', color: '#fff' }}
      />
    </Tooltip>
  );
}

/** The label of an untrained (zero-initialised) adapter. */
export function UntrainedChip() {
  const { t } = useTranslationRef(finetuningTranslationRef);
  return (
    <Tooltip title={t('chips.untrainedTooltip')}>
      <Chip
        size="small"
        variant="outlined"
        label={t('chips.untrainedLabel')}
        data-testid="ft-untrained-chip"
      />
    </Tooltip>
  );
}

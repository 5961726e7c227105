import { InfoCard } from '@backstage/core-components';
import { Box, Button, Tooltip, Typography } from '@material-ui/core';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { PipelineSummary } from '@kubemate/plugin-pipelines-common';
import { keyOf } from '../../lib/runs';
import { pipelinesTranslationRef } from '../../translation';

/**
 * The entity's Pipelines, and the "Start run" button: disabled, with `startReason` in its
 * tooltip, unless the user may start a run of at least one of them.
 */
export function PipelinesCard(props: {
  pipelines: PipelineSummary[];
  startReason: string;
  onStart: () => void;
}) {
  const { t } = useTranslationRef(pipelinesTranslationRef);
  return (
    <InfoCard title={t('card.title')}>
      {props.pipelines.map(p => (
        <Typography key={keyOf(p)} variant="body2">
          {t('card.pipeline', {
            name: p.name,
            cluster: p.cluster,
            namespace: p.namespace,
            params: String(p.params.length),
          })}
        </Typography>
      ))}
      <Box mt={1}>
        {/* one permission check per Pipeline (StartProbe): any startable one enables it */}
        <Tooltip title={props.startReason}>
          <span style={{ display: 'inline-block' }}>
            <Button
              color="primary"
              variant="contained"
              disabled={Boolean(props.startReason)}
              onClick={props.onStart}
            >
              {t('card.startRun')}
            </Button>
          </span>
        </Tooltip>
      </Box>
    </InfoCard>
  );
}

import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Box, Typography } from '@material-ui/core';
import { gpuTranslationRef } from '../../translation';
import { readableReason } from '../../lib/kueueReason';

/**
 * Kueue's reason for a pending workload, word for word, laid out to be read: the head (`couldn't
 * assign flavors to pod set main`) and one line per flavor or resource that did not fit.
 */
export function PendingReason(props: { reason?: string; testId?: string }) {
  const { t } = useTranslationRef(gpuTranslationRef);
  if (!props.reason) {
    return (
      <Typography variant="body2" color="textSecondary">
        {t('workloads.noReason')}
      </Typography>
    );
  }
  const { head, items } = readableReason(props.reason);
  return (
    <Box data-testid={props.testId} data-reason={props.reason}>
      {head && (
        <Typography variant="body2" component="div">
          {head}:
        </Typography>
      )}
      {items.length === 1 && !head ? (
        <Typography variant="body2" style={{ wordBreak: 'break-word' }}>
          {items[0]}
        </Typography>
      ) : (
        <Box component="ul" m={0} pl={2}>
          {items.map((item, i) => (
            <Typography
              key={i}
              component="li"
              variant="body2"
              style={{ wordBreak: 'break-word' }}
            >
              {item}
            </Typography>
          ))}
        </Box>
      )}
    </Box>
  );
}

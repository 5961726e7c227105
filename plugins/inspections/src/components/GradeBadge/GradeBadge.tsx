import { Box, Typography } from '@material-ui/core';
import type { Grade } from '@kubemate/plugin-inspections-common';
import { GRADE_COLOURS } from '../../lib/format';
import { useInspectionsFormat } from '../../lib/useInspectionsFormat';

/** The A–F grade as a coloured letter (with the score under it when given). */
export function GradeBadge(props: {
  grade?: Grade;
  score?: number;
  size?: 'large' | 'small';
}) {
  const { grade, score, size = 'large' } = props;
  const { t, score: formatScore } = useInspectionsFormat();
  const px = size === 'large' ? 64 : 32;
  return (
    <Box display="inline-flex" flexDirection="column" alignItems="center">
      <Box
        aria-label={grade ? t('grade.label', { grade }) : t('grade.none')}
        role="img"
        width={px}
        height={px}
        borderRadius={8}
        display="flex"
        alignItems="center"
        justifyContent="center"
        style={{
          background: grade ? GRADE_COLOURS[grade] : '#9e9e9e',
          color: '#fff',
          fontSize: px * 0.6,
          fontWeight: 700,
        }}
      >
        {grade ?? '–'}
      </Box>
      {score !== undefined && (
        <Typography variant="caption" color="textSecondary">
          {t('grade.outOf', { score: formatScore(score) })}
        </Typography>
      )}
    </Box>
  );
}

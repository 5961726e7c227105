import type { SourceResolution } from '@kubemate/plugin-metrics-common';

const DAY = 86_400;

/**
 * Step and Thanos source resolution for a range, in seconds: about 250 points per series, and
 * downsampled blocks once the range makes raw samples pointless (the compactor keeps raw data 14
 * days, 5-minute blocks 3 months, 1-hour blocks a year): up to 2 days raw, up to 30 days 5m,
 * beyond 1h. A step is never finer than the resolution it reads.
 */
export function rangeParameters(
  startSec: number,
  endSec: number,
  requestedStep?: number,
): { step: number; maxSourceResolution: SourceResolution } {
  const range = Math.max(1, endSec - startSec);
  let maxSourceResolution: SourceResolution = '0s';
  let floor = 15;
  if (range > 30 * DAY) {
    maxSourceResolution = '1h';
    floor = 3600;
  } else if (range > 2 * DAY) {
    maxSourceResolution = '5m';
    floor = 300;
  }
  const auto = Math.ceil(range / 250 / 15) * 15;
  const step = Math.max(floor, requestedStep ?? auto);
  return { step, maxSourceResolution };
}

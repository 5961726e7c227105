import { preemptionText } from './TeamQueues';
import type { GpuT } from '../../translation';

/** The key and its values as text: enough to see which key words which rule. */
const t = ((key: string, params?: Record<string, string>) =>
  params ? `${key}(${Object.values(params).join(',')})` : key) as GpuT;

describe('preemptionText', () => {
  it("words Kueue's rules and policies by their API names", () => {
    expect(preemptionText(t, 'withinClusterQueue', 'LowerPriority')).toBe(
      'queues.preemptionRule.withinClusterQueue(queues.preemptionPolicy.LowerPriority)',
    );
    expect(preemptionText(t, 'borrowWithinCohort', 'Never')).toBe(
      'queues.preemptionRule.borrowWithinCohort(queues.preemptionPolicy.Never)',
    );
  });

  it('shows a rule or policy a later Kueue adds by its API name', () => {
    expect(preemptionText(t, 'withinCohort', 'Any')).toBe(
      'withinCohort queues.preemptionPolicy.Any',
    );
    expect(preemptionText(t, 'reclaimWithinCohort', 'Sometimes')).toBe(
      'queues.preemptionRule.reclaimWithinCohort(Sometimes)',
    );
  });
});

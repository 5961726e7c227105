import { readableReason } from './kueueReason';
import { PENDING_REASON } from '../__testUtils__/fixtures';

describe('readableReason', () => {
  it('splits a flavor assignment failure into its statements without changing a word', () => {
    const r = readableReason(PENDING_REASON);
    expect(r).toEqual({
      head: "couldn't assign flavors to pod set main",
      items: [
        'insufficient quota for nvidia.com/gpu in flavor a100-40gb, previously considered podsets requests (0) + current podset request (6) > maximum capacity (4)',
        'insufficient unused quota for cpu in flavor default, 3 more needed',
      ],
    });
    expect(`${r.head}: ${r.items.join(', ')}`).toBe(PENDING_REASON);
  });

  it('keeps other messages whole', () => {
    expect(readableReason('ClusterQueue team-payments is inactive')).toEqual({
      items: ['ClusterQueue team-payments is inactive'],
    });
    expect(
      readableReason(
        "couldn't assign flavors to pod set main: borrowing limit for nvidia.com/gpu in flavor a100-40gb exceeded",
      ),
    ).toEqual({
      head: "couldn't assign flavors to pod set main",
      items: [
        'borrowing limit for nvidia.com/gpu in flavor a100-40gb exceeded',
      ],
    });
  });
});

import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakeApi, flavor, queue } from '../../__testUtils__/fixtures';
import { deny, renderPage } from '../../__testUtils__/render';
import { enT } from '../../__testUtils__/i18n';
import { queueChanges, queueDraftErrors } from './EditQueueDialog';

describe('queue edits', () => {
  const q = queue({
    flavors: [flavor({ flavor: 'a100-40gb', nominal: 2, borrowingLimit: 2 })],
  });

  it('sends only what changed; an emptied borrowing limit is removed (null)', () => {
    expect(
      queueChanges(
        q,
        [{ flavor: 'a100-40gb', nominal: '3', borrowingLimit: '2' }],
        false,
      ),
    ).toEqual({ flavors: [{ flavor: 'a100-40gb', nominal: 3 }] });
    expect(
      queueChanges(
        q,
        [{ flavor: 'a100-40gb', nominal: '2', borrowingLimit: '' }],
        true,
      ),
    ).toEqual({
      flavors: [{ flavor: 'a100-40gb', borrowingLimit: null }],
      held: true,
    });
    expect(
      queueChanges(
        q,
        [{ flavor: 'a100-40gb', nominal: '2', borrowingLimit: '2' }],
        false,
      ),
    ).toEqual({});
  });

  it('says which field is not a whole number of GPUs', () => {
    expect(
      queueDraftErrors(
        [{ flavor: 'a100-40gb', nominal: '-1', borrowingLimit: '1.5' }],
        enT,
      ),
    ).toEqual({
      'a100-40gb.nominal': 'A whole number of GPUs, 0 or more',
      'a100-40gb.borrowingLimit':
        'A whole number of GPUs, or empty for no limit',
    });
  });
});

describe('EditQueueDialog on the quotas tab', () => {
  it('lets an admin raise a nominal quota through PATCH /queues', async () => {
    const api = fakeApi();
    await renderPage('/gpus', { api, user: 'user:default/admin' });
    const edit = await screen.findByTestId(
      'gpu-queue-edit-dev-cluster-team-payments',
    );
    await waitFor(() => expect(edit).toBeEnabled());
    await userEvent.click(edit);
    const dialog = await screen.findByRole('dialog');
    const save = within(dialog).getByTestId('gpu-edit-save');
    expect(save).toBeDisabled();
    const [nominal] = within(dialog).getAllByRole('textbox');
    await userEvent.clear(nominal);
    await userEvent.type(nominal, '5');
    await userEvent.click(save);
    await waitFor(() =>
      expect(api.updateQueue).toHaveBeenCalledWith(
        'dev-cluster',
        'team-payments',
        expect.objectContaining({
          flavors: [expect.objectContaining({ nominal: 5 })],
        }),
      ),
    );
  });

  it('disables the editor with the reason for users without gpu.queue.update', async () => {
    await renderPage('/gpus', {
      api: fakeApi(),
      authorize: deny('gpu.queue.update'),
    });
    const edit = await screen.findByTestId(
      'gpu-queue-edit-dev-cluster-team-payments',
    );
    await waitFor(() => expect(edit).toBeDisabled());
  });
});

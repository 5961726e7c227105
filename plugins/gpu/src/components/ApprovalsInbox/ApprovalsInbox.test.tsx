import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakeApi, request, requests } from '../../__testUtils__/fixtures';
import { deny, renderPage } from '../../__testUtils__/render';

describe('ApprovalsInbox', () => {
  it('gives users without gpu.request.approve the reason instead of the inbox', async () => {
    const api = fakeApi();
    await renderPage('/gpus/approvals', {
      api,
      authorize: deny('gpu.request.approve'),
      user: 'user:default/bob',
    });
    const denied = await screen.findByTestId('gpu-approvals-denied');
    expect(denied).toHaveTextContent(
      'You do not have the permission gpu.request.approve on any team namespace you can see.',
    );
    expect(screen.queryByTestId('gpu-approve-req-1')).toBeNull();
    expect(screen.queryByText('fine-tuning the fraud model')).toBeNull();
  });

  it('lets an approver approve a pending request, showing the nominal quota before → after', async () => {
    const api = fakeApi();
    await renderPage('/gpus/approvals', { api, user: 'user:default/admin' });
    expect(
      await screen.findByText('Waiting for approval (1)'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('gpu-change-req-1')).toHaveTextContent(
      'the nominal quota of team-payments / a100-40gb (dev-cluster): 2 → 6 GPUs',
    );
    const approve = screen.getByTestId('gpu-approve-req-1');
    await waitFor(() => expect(approve).toBeEnabled());
    await userEvent.click(approve);
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText(
        /Approving changes the nominal quota of team-payments/,
      ),
    ).toBeInTheDocument();
    await userEvent.type(
      within(dialog).getByTestId('gpu-decision-comment'),
      'ok for a week',
    );
    await userEvent.click(within(dialog).getByTestId('gpu-decision-submit'));
    await waitFor(() =>
      expect(api.decideRequest).toHaveBeenCalledWith('req-1', {
        decision: 'approve',
        comment: 'ok for a week',
      }),
    );
    expect(await screen.findByTestId('gpu-approval-notice')).toHaveTextContent(
      'Approved 4 GPUs of a100-40gb for payments-dev (dev-cluster, queue team-payments): now active.',
    );
  });

  it('requires a comment to reject, and disables decisions the backend does not allow', async () => {
    const api = fakeApi({
      requests: jest.fn(async () =>
        requests([
          request(),
          request({ id: 'req-own', canDecide: false, reason: 'my own' }),
        ]),
      ),
    });
    await renderPage('/gpus/approvals', { api, user: 'user:default/admin' });
    await screen.findByText('Waiting for approval (2)');
    await waitFor(() =>
      expect(screen.getByTestId('gpu-reject-req-1')).toBeEnabled(),
    );
    expect(screen.getByTestId('gpu-approve-req-own')).toBeDisabled();
    await userEvent.click(screen.getByTestId('gpu-reject-req-1'));
    const dialog = await screen.findByRole('dialog');
    const send = within(dialog).getByTestId('gpu-decision-submit');
    expect(send).toBeDisabled();
    await userEvent.type(
      within(dialog).getByTestId('gpu-decision-comment'),
      'use the shared pool',
    );
    await userEvent.click(send);
    await waitFor(() =>
      expect(api.decideRequest).toHaveBeenCalledWith('req-1', {
        decision: 'reject',
        comment: 'use the shared pool',
      }),
    );
  });
});

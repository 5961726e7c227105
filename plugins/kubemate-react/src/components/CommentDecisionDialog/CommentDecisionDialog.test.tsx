import { renderInTestApp } from '@backstage/test-utils';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { CommentDecisionDialog } from './CommentDecisionDialog';

function renderDialog(
  commentRequired: boolean,
  onDecide: (comment: string) => Promise<void>,
) {
  return renderInTestApp(
    <CommentDecisionDialog
      open
      subject="request-1"
      title="Reject the request"
      summary={<span>4 GPUs for payments-dev</span>}
      verb="Reject"
      commentRequired={commentRequired}
      testIdPrefix="t-decision"
      onClose={() => {}}
      onDecide={onDecide}
    />,
  );
}

describe('CommentDecisionDialog', () => {
  it('needs a comment before a rejection can be sent, and sends it trimmed', async () => {
    const onDecide = jest.fn().mockResolvedValue(undefined);
    await renderDialog(true, onDecide);
    expect(screen.getByText('4 GPUs for payments-dev')).toBeInTheDocument();
    const submit = screen.getByTestId('t-decision-submit');
    expect(submit).toBeDisabled();
    fireEvent.change(screen.getByTestId('t-decision-comment'), {
      target: { value: '  not this quarter  ' },
    });
    expect(submit).toBeEnabled();
    fireEvent.click(submit);
    await waitFor(() =>
      expect(onDecide).toHaveBeenCalledWith('not this quarter'),
    );
  });

  it('sends an approval without a comment and shows the server refusal in place', async () => {
    const onDecide = jest
      .fn()
      .mockRejectedValue(new Error('Request req-1 is no longer pending'));
    await renderDialog(false, onDecide);
    fireEvent.click(screen.getByTestId('t-decision-submit'));
    expect(await screen.findByTestId('t-decision-error')).toHaveTextContent(
      'Request req-1 is no longer pending',
    );
    expect(onDecide).toHaveBeenCalledWith('');
  });
});

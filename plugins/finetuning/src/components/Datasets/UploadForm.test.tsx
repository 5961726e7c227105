import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { dataset, fakeApi } from '../../__testUtils__/fixtures';
import { Decide, deny, renderWith } from '../../__testUtils__/render';
import { parseLineError, UploadForm } from './UploadForm';

const targets = [{ cluster: 'dev-cluster', namespace: 'payments-dev' }];

async function renderForm(api = fakeApi(), authorize?: Decide) {
  const onUploaded = jest.fn();
  await renderWith(
    <UploadForm targets={targets} maxBytes={1000} onUploaded={onUploaded} />,
    { api, authorize },
  );
  return { api, onUploaded };
}

const file = (text: string, name = 'Support FAQ.jsonl') =>
  new File([text], name, { type: 'application/jsonl' });
const submit = () => screen.getByTestId('ft-upload-submit');

describe('UploadForm', () => {
  it('reads the line number of the backend message', () => {
    expect(
      parseLineError('line 7: response is not a non-empty string'),
    ).toEqual({ line: 7, what: 'response is not a non-empty string' });
    expect(parseLineError('MinIO is unavailable')).toBeUndefined();
  });

  it("shows the server's 400 naming the first bad line, with the line number apart", async () => {
    const api = fakeApi();
    api.uploadDataset.mockRejectedValueOnce(
      new Error('line 3: "response" must be a non-empty string'),
    );
    const { onUploaded } = await renderForm(api);
    await userEvent.upload(
      screen.getByTestId('ft-upload-file'),
      file('{"instruction":"a","response":"b"}\n{}\n'),
    );
    // the name comes from the file name
    expect(screen.getByTestId('ft-upload-name')).toHaveValue('support-faq');
    await waitFor(() => expect(submit()).toBeEnabled());
    await userEvent.click(submit());
    const alert = await screen.findByTestId('ft-upload-error');
    expect(alert).toHaveAttribute('data-line', '3');
    expect(alert).toHaveTextContent('The file was refused at line 3');
    expect(alert).toHaveTextContent('"response" must be a non-empty string');
    expect(onUploaded).not.toHaveBeenCalled();
    expect(api.uploadDataset).toHaveBeenCalledWith(
      expect.objectContaining({
        cluster: 'dev-cluster',
        namespace: 'payments-dev',
        name: 'support-faq',
        instructionField: 'instruction',
        responseField: 'response',
      }),
    );
  });

  it('shows other refusals (503 naming MinIO) as they are, and uploads with the field mapping', async () => {
    const api = fakeApi();
    api.uploadDataset
      .mockRejectedValueOnce(new Error('MinIO did not answer within 10 s'))
      .mockResolvedValueOnce(dataset({ name: 'qa' }));
    const { onUploaded } = await renderForm(api);
    await userEvent.upload(
      screen.getByTestId('ft-upload-file'),
      file('q,a\nhi,there\n', 'qa.csv'),
    );
    await userEvent.clear(screen.getByTestId('ft-upload-instructionField'));
    await userEvent.type(screen.getByTestId('ft-upload-instructionField'), 'q');
    await userEvent.clear(screen.getByTestId('ft-upload-responseField'));
    await userEvent.type(screen.getByTestId('ft-upload-responseField'), 'a');
    await waitFor(() => expect(submit()).toBeEnabled());
    await userEvent.click(submit());
    expect(await screen.findByTestId('ft-upload-error')).toHaveTextContent(
      'MinIO did not answer within 10 s',
    );
    await userEvent.click(submit());
    await waitFor(() => expect(onUploaded).toHaveBeenCalled());
    expect(api.uploadDataset).toHaveBeenLastCalledWith(
      expect.objectContaining({
        name: 'qa',
        instructionField: 'q',
        responseField: 'a',
      }),
    );
  });

  it('checks the name and the size before sending', async () => {
    const { api } = await renderForm();
    await userEvent.upload(
      screen.getByTestId('ft-upload-file'),
      file('x'.repeat(1500), 'big.jsonl'),
    );
    await userEvent.clear(screen.getByTestId('ft-upload-name'));
    await userEvent.type(screen.getByTestId('ft-upload-name'), 'Bad Name');
    await waitFor(() => expect(submit()).toBeEnabled());
    await userEvent.click(submit());
    expect(
      screen.getByText('lowercase letters, digits and dashes (at most 50)'),
    ).toBeInTheDocument();
    expect(screen.getByText('larger than 1.0 kB')).toBeInTheDocument();
    expect(api.uploadDataset).not.toHaveBeenCalled();
  });

  it('is disabled with the reason without finetuning.dataset.upload', async () => {
    await renderForm(fakeApi(), deny('finetuning.dataset.upload'));
    await waitFor(() => expect(submit()).toBeDisabled());
    await userEvent.hover(submit().parentElement!);
    expect(
      await screen.findByText(
        'You do not have the permission finetuning.dataset.upload on payments-dev in dev-cluster',
      ),
    ).toBeInTheDocument();
  });
});

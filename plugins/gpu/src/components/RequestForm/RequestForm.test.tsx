import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ResponseError } from '@backstage/errors';
import { fakeApi, queues } from '../../__testUtils__/fixtures';
import { deny, renderWith } from '../../__testUtils__/render';
import { requestTargets } from '../../lib/requests';
import { RequestForm } from './RequestForm';

const limits = { selfServiceLimit: 1, maxGpus: 16, maxHours: 168 };
const targets = requestTargets(queues());

async function renderForm(
  api = fakeApi(),
  authorize?: Parameters<typeof renderWith>[1]['authorize'],
) {
  const onCreated = jest.fn();
  await renderWith(
    <RequestForm targets={targets} limits={limits} onCreated={onCreated} />,
    { api, authorize },
  );
  return { api, onCreated };
}

const submit = () => screen.getByTestId('gpu-request-submit');

describe('RequestForm', () => {
  it('explains the self-service limit and whether this request waits for approval', async () => {
    await renderForm();
    expect(
      screen.getByText(/Requests of up to 1 GPU are granted at once/),
    ).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText(/GPUs/), '4');
    expect(
      screen.getByText('Above the self-service limit: waits for approval'),
    ).toBeInTheDocument();
    await userEvent.clear(screen.getByLabelText(/GPUs/));
    await userEvent.type(screen.getByLabelText(/GPUs/), '1');
    expect(
      screen.getByText('Within the self-service limit: granted at once'),
    ).toBeInTheDocument();
  });

  it('validates inline as the backend does and sends nothing while a field is wrong', async () => {
    const { api } = await renderForm();
    await userEvent.type(screen.getByLabelText(/GPUs/), '-3');
    expect(
      screen.getByText('A whole number of GPUs, at least 1'),
    ).toBeInTheDocument();
    await userEvent.clear(screen.getByLabelText(/GPUs/));
    await userEvent.type(screen.getByLabelText(/GPUs/), '500');
    expect(screen.getByText('At most 16 GPUs per request')).toBeInTheDocument();
    await userEvent.clear(screen.getByLabelText(/Hours/));
    await userEvent.type(screen.getByLabelText(/Hours/), '0');
    expect(screen.getByText('A number of hours above 0')).toBeInTheDocument();

    await waitFor(() => expect(submit()).toBeEnabled());
    await userEvent.click(submit());
    // the untouched reason shows its message once a submit was tried
    expect(
      screen.getByText('Say what the GPUs are for (the approver reads it)'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Fix the marked fields: gpus, durationHours, reason'),
    ).toBeInTheDocument();
    expect(api.createRequest).not.toHaveBeenCalled();
  });

  it("offers only the chosen namespace queue's flavors", async () => {
    await renderForm();
    const flavor = screen.getByTestId(
      'gpu-request-flavor',
    ) as HTMLSelectElement;
    expect([...flavor.options].map(o => o.value)).toEqual(['a100-40gb']);
    await userEvent.selectOptions(
      screen.getByTestId('gpu-request-namespace'),
      'risk-dev',
    );
    expect([...flavor.options].map(o => o.value)).toEqual([
      'a100-40gb',
      'a10g',
    ]);
    expect(screen.getByText('Queue team-risk')).toBeInTheDocument();
  });

  it('sends a valid request and shows the backend 400 on the field it names', async () => {
    const api = fakeApi();
    api.createRequest
      .mockRejectedValueOnce(
        Object.assign(
          new Error('gpus: at most 8 GPUs of a100-40gb may be requested'),
          {
            name: 'ResponseError',
          },
        ) as ResponseError,
      )
      .mockImplementation(async body => ({
        ...(await fakeApi().createRequest(body)),
      }));
    const { onCreated } = await renderForm(api);
    await userEvent.type(screen.getByLabelText(/GPUs/), '12');
    await userEvent.type(screen.getByLabelText(/Reason/), 'fine-tuning');
    await waitFor(() => expect(submit()).toBeEnabled());
    await userEvent.click(submit());
    expect(
      await screen.findByText(
        'gpus: at most 8 GPUs of a100-40gb may be requested',
      ),
    ).toBeInTheDocument();
    expect(onCreated).not.toHaveBeenCalled();

    await userEvent.clear(screen.getByLabelText(/GPUs/));
    await userEvent.type(screen.getByLabelText(/GPUs/), '4');
    await userEvent.click(submit());
    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    expect(api.createRequest).toHaveBeenLastCalledWith({
      cluster: 'dev-cluster',
      namespace: 'payments-dev',
      flavor: 'a100-40gb',
      gpus: 4,
      durationHours: 24,
      reason: 'fine-tuning',
    });
  });

  it('is disabled with the reason without gpu.request.create on the namespace', async () => {
    await renderForm(fakeApi(), deny('gpu.request.create'));
    await waitFor(() => expect(submit()).toBeDisabled());
    await userEvent.hover(submit().parentElement!);
    expect(
      await screen.findByText(
        'You do not have the permission gpu.request.create on payments-dev in dev-cluster',
      ),
    ).toBeInTheDocument();
  });
});

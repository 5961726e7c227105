import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakeApi, renderPage, running } from './__testUtils__/fixtures';

/*
 * The Local stack page as the app installs it (new frontend system), against a fake of its API:
 * the servers with their states and sentences, the summary, the log dialog, the empty, "no local
 * stack" and error states, and the 3 s refresh while the stack is working (not allowed:
 * plugin.denied.test.tsx).
 */

describe('Local stack page', () => {
  it('lists the servers with their states, sentences and the summary', async () => {
    renderPage(fakeApi(async () => running));
    expect(await screen.findByTestId('localstack-summary')).toHaveTextContent(
      '1 of 4 servers up, 1 failed — about 14 min left',
    );
    expect(
      screen.getByText('Loki is still building — about 6 min left'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Jaeger failed to build: go build exited 1'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Thanos Query is waiting (about 14 min left)'),
    ).toBeInTheDocument();
    expect(screen.getByText('Kubernetes API is up')).toBeInTheDocument();
    expect(screen.getByTestId('state-building')).toHaveTextContent('building');
    expect(
      screen.getByText('stack.sh is working — refreshing every 3 s'),
    ).toBeInTheDocument();
    // no log named: nothing to open
    expect(
      screen.getByRole('button', { name: 'Log of Thanos Query' }),
    ).toBeDisabled();
  });

  it("opens a server's log in a dialog and reads it again on Refresh", async () => {
    const api = fakeApi(async () => ({ ...running, running: false }));
    renderPage(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Log of Loki' }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Log of Loki' });
    expect(await within(dialog).findByTestId('log-text')).toHaveTextContent(
      'built loki',
    );
    expect(
      within(dialog).getByText('/cache/logs/build-loki.log'),
    ).toBeVisible();
    expect(api.log).toHaveBeenCalledWith('loki', 500);
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Refresh' }),
    );
    await waitFor(() => expect(api.log).toHaveBeenCalledTimes(2));
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it("shows a log's error in the dialog", async () => {
    const api = fakeApi(
      async () => running,
      async () => {
        throw new Error(
          "The log of 'loki' is not under the local stack's directories",
        );
      },
    );
    renderPage(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Log of Loki' }),
    );
    expect(
      (
        await screen.findAllByText(/is not under the local stack's directories/)
      )[0],
    ).toBeInTheDocument();
  });

  it('reads the servers again while the stack is working', async () => {
    let reads = 0;
    const api = fakeApi(async () => {
      reads++;
      return reads < 2 ? running : { ...running, running: false };
    });
    renderPage(api);
    await screen.findByTestId('localstack-summary');
    // the second read comes REFRESH_MS later; afterwards stack.sh is done and reading stops
    await waitFor(() =>
      expect(screen.getByText('stack.sh is not running')).toBeInTheDocument(),
    );
    expect(api.servers).toHaveBeenCalledTimes(2);
  });

  it('gives no estimate for servers no stack.sh works on any more', async () => {
    renderPage(fakeApi(async () => ({ ...running, running: false })));
    expect(await screen.findByTestId('localstack-summary')).toHaveTextContent(
      /^1 of 4 servers up, 1 failed$/,
    );
    expect(
      screen.getByText('Loki was building when stack.sh stopped'),
    ).toBeInTheDocument();
    expect(screen.getByText('stack.sh is not running')).toBeInTheDocument();
  });

  it('says when this portal has no local stack', async () => {
    renderPage(fakeApi(async () => ({ configured: false })));
    expect(
      await screen.findByText('This portal has no local stack'),
    ).toBeInTheDocument();
  });

  it('says when the stack has not been started', async () => {
    renderPage(
      fakeApi(async () => ({ configured: true, running: false, servers: [] })),
    );
    expect(
      await screen.findByText('The local stack has not been started'),
    ).toBeInTheDocument();
  });

  it('shows the error when the servers cannot be read', async () => {
    renderPage(
      fakeApi(async () => {
        throw new Error(
          "The local stack's progress file x: progress file is not JSON",
        );
      }),
    );
    expect(
      (await screen.findAllByText(/progress file is not JSON/))[0],
    ).toBeInTheDocument();
  });
});

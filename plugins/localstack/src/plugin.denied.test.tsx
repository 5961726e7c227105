import { screen } from '@testing-library/react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { fakeApi, renderPage, running } from './__testUtils__/fixtures';

/*
 * The Local stack page for a user without localstack.server.read (a file of its own: the
 * permission hooks cache decisions across the tests of a file).
 */
describe('Local stack page, not allowed', () => {
  it('tells the user and reads nothing', async () => {
    const api = fakeApi(async () => running);
    renderPage(api, AuthorizeResult.DENY);
    expect(
      await screen.findByText(/You are not allowed to see the local stack/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/You do not have the permission localstack.server.read/),
    ).toBeInTheDocument();
    expect(api.servers).not.toHaveBeenCalled();
  });
});

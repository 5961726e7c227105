import { screen, within } from '@testing-library/react';
import { fakeApi } from '../../__testUtils__/fixtures';
import { renderPage } from '../../__testUtils__/render';
import { tabIndexOf } from '../KnowledgePage';

describe('StatusTab', () => {
  it('maps the sub-routes to their tabs', () => {
    expect(tabIndexOf('')).toBe(0);
    expect(tabIndexOf('/collections')).toBe(1);
    expect(tabIndexOf('/collections/payments-runbooks')).toBe(1);
    expect(tabIndexOf('/status')).toBe(2);
    expect(tabIndexOf('/statusx')).toBe(0);
  });

  it('shows each server ok or not with its detail, the models and the limits', async () => {
    renderPage('/knowledge/status', { api: fakeApi() });
    const ollama = await screen.findByTestId('rag-status-upstream-ollama');
    expect(ollama).toHaveAttribute('data-ok', 'true');
    expect(ollama).toHaveTextContent('Ollama');
    expect(ollama).toHaveTextContent('0.24.0');
    const redis = screen.getByTestId('rag-status-upstream-redis');
    expect(redis).toHaveAttribute('data-ok', 'false');
    expect(within(redis).getByText('error')).toBeInTheDocument();
    expect(redis).toHaveTextContent('connect ECONNREFUSED 127.0.0.1:6380');
    expect(
      screen.getByText(
        'Without Redis, questions are answered without the cache.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('smollm2-135m')).toBeInTheDocument();
    expect(screen.getByText('Largest upload: 1 KiB')).toBeInTheDocument();
    expect(
      screen.getByText('Formats: markdown, html, text, pdf'),
    ).toBeInTheDocument();
  });

  it('says when the backend cannot be reached, with its message', async () => {
    renderPage('/knowledge/status', {
      api: fakeApi({
        status: jest.fn(async () => {
          throw new Error('Failed to fetch');
        }),
      }),
    });
    expect(
      await screen.findByText(
        /Cannot read the knowledge assistant's status: Failed to fetch/,
      ),
    ).toBeInTheDocument();
  });
});

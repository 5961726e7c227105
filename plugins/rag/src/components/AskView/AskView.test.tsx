import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  answer,
  citation,
  controlledStream,
  fakeApi,
  riskCollection,
  collection,
} from '../../__testUtils__/fixtures';
import { renderPage } from '../../__testUtils__/render';

async function ask(question: string) {
  const box = await screen.findByTestId('rag-question');
  await userEvent.type(box, question);
  await userEvent.keyboard('{Enter}');
}

describe('AskView', () => {
  it('streams the answer as it arrives, links its [n] to the sources and opens the passage', async () => {
    const stream = controlledStream();
    const api = fakeApi({ streamQuery: stream.streamQuery });
    renderPage('/knowledge', { api });
    // both knowledge bases offered and ticked
    const picker = await screen.findByTestId('rag-collection-picker');
    await waitFor(() =>
      expect(
        within(picker).getByTestId('rag-collection-option-risk-runbooks'),
      ).toBeChecked(),
    );
    expect(
      within(picker).getByTestId('rag-collection-option-payments-runbooks'),
    ).toBeChecked();

    await ask('How do I restart payments-api?');
    // everything ticked: the backend's default (all the user may query)
    expect(stream.streamQuery).toHaveBeenCalledWith(
      { question: 'How do I restart payments-api?' },
      expect.any(Object),
      expect.any(AbortSignal),
    );
    const panel = await screen.findByTestId('rag-answer');
    expect(panel).toHaveAttribute('data-state', 'streaming');
    expect(
      screen.getByText('Searching the knowledge bases…'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('rag-stop')).toBeEnabled();
    expect(screen.getByTestId('rag-ask')).toBeDisabled();

    act(() => {
      stream.meta({
        id: 'answer-0001',
        collections: ['payments-runbooks'],
        cached: false,
      });
      stream.citations({ citations: [citation()], notFound: false });
      stream.token('Use a rolling ');
    });
    expect(screen.getByTestId('rag-answer-text')).toHaveTextContent(
      'Use a rolling',
    );
    expect(screen.queryByTestId('rag-answer-ref-1')).not.toBeInTheDocument();
    act(() => stream.token('restart [1].'));
    expect(screen.getByTestId('rag-answer-text')).toHaveTextContent(
      'Use a rolling restart [1].',
    );
    expect(screen.getByTestId('rag-answer-ref-1')).toBeInTheDocument();
    expect(panel).toHaveAttribute('data-state', 'streaming');
    // the sources are there while it streams
    expect(screen.getByTestId('rag-citation-1')).toHaveTextContent(
      'restart.md · Restart > Rolling restart · 82 %',
    );

    act(() => stream.done(answer()));
    await waitFor(() => expect(panel).toHaveAttribute('data-state', 'done'));
    expect(panel).toHaveAttribute('data-answer-id', 'answer-0001');
    expect(screen.getByTestId('rag-timings')).toHaveTextContent(
      'first token 420 ms · total 2.6 s · 19.5 tokens/s · smollm2-135m',
    );
    expect(screen.getByTestId('rag-stop')).toBeDisabled();
    expect(screen.queryByTestId('rag-cached')).not.toBeInTheDocument();
    // the finished answer joins the history
    await waitFor(() => expect(api.history).toHaveBeenCalledTimes(2));

    await userEvent.click(screen.getByTestId('rag-citation-1'));
    const dialog = await screen.findByTestId('rag-passage');
    expect(
      await within(dialog).findByTestId('rag-passage-text'),
    ).toHaveTextContent(
      'Run kubectl rollout restart deployment/payments-api and watch the pods.',
    );
    expect(
      within(dialog).getByTestId('rag-passage-previous-text'),
    ).toHaveTextContent('Before restarting, check the error budget.');
    expect(within(dialog).getByText(/passage 3 of 8/)).toBeInTheDocument();
    expect(api.getPassage).toHaveBeenCalledWith(
      'payments-runbooks',
      'abcdef01',
      2,
    );
    await userEvent.click(within(dialog).getByTestId('rag-passage-next'));
    await waitFor(() =>
      expect(api.getPassage).toHaveBeenCalledWith(
        'payments-runbooks',
        'abcdef01',
        3,
      ),
    );
    expect(
      await within(dialog).findByText(/passage 4 of 8/),
    ).toBeInTheDocument();
    await userEvent.click(within(dialog).getByTestId('rag-passage-close'));
    await waitFor(() =>
      expect(screen.queryByTestId('rag-passage')).not.toBeInTheDocument(),
    );

    // the [n] in the text opens the same passage
    await userEvent.click(screen.getByTestId('rag-answer-ref-1'));
    expect(await screen.findByTestId('rag-passage')).toBeInTheDocument();
    expect(api.getPassage).toHaveBeenLastCalledWith(
      'payments-runbooks',
      'abcdef01',
      2,
    );
  });

  it('answers with the model picked next to the question: the default, or a fine-tuned one', async () => {
    const stream = controlledStream();
    const api = fakeApi({
      streamQuery: stream.streamQuery,
      models: jest.fn(async () => ({
        default: 'smollm2-135m',
        items: [
          { name: 'smollm2-135m', default: true, fineTuned: false },
          { name: 'ft-payments-dev-fraud', default: false, fineTuned: true },
        ],
      })),
    });
    renderPage('/knowledge', { api });
    const select = await screen.findByTestId('rag-model');
    await waitFor(() => expect(select).toBeEnabled());
    expect(select).toHaveValue('smollm2-135m');
    const options = within(select).getAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual([
      'smollm2-135m (default)',
      'ft-payments-dev-fraud — fine-tuned',
    ]);
    expect(
      screen.getByText('1 fine-tuned model available'),
    ).toBeInTheDocument();

    // the default: no model sent (the backend's configured one)
    await ask('q1');
    expect(stream.streamQuery).toHaveBeenLastCalledWith(
      { question: 'q1' },
      expect.any(Object),
      expect.any(AbortSignal),
    );
    act(() => stream.done(answer()));

    await userEvent.selectOptions(select, 'ft-payments-dev-fraud');
    expect(select).toHaveValue('ft-payments-dev-fraud');
    const box = screen.getByTestId('rag-question');
    await userEvent.clear(box);
    await ask('q2');
    expect(stream.streamQuery).toHaveBeenLastCalledWith(
      { question: 'q2', model: 'ft-payments-dev-fraud' },
      expect.any(Object),
      expect.any(AbortSignal),
    );
    // the picker waits while the answer streams
    expect(select).toBeDisabled();
  });

  it('asks the configured model when the fine-tuned models cannot be listed', async () => {
    const api = fakeApi({
      models: jest.fn(async () => ({
        default: 'smollm2-135m',
        items: [{ name: 'smollm2-135m', default: true, fineTuned: false }],
        unavailable:
          'Ollama at http://127.0.0.1:11434 is unavailable: ECONNREFUSED',
      })),
    });
    renderPage('/knowledge', { api });
    expect(
      await screen.findByText(
        'Fine-tuned models could not be listed: Ollama at http://127.0.0.1:11434 is unavailable: ECONNREFUSED',
      ),
    ).toBeInTheDocument();
    expect(screen.getByTestId('rag-model')).toHaveValue('smollm2-135m');
  });

  it('stops a streaming answer, keeping what arrived', async () => {
    const stream = controlledStream();
    renderPage('/knowledge', {
      api: fakeApi({ streamQuery: stream.streamQuery }),
    });
    await ask('How do I restart payments-api?');
    act(() => stream.token('Use a'));
    await userEvent.click(screen.getByTestId('rag-stop'));
    expect(stream.signal?.aborted).toBe(true);
    expect(screen.getByTestId('rag-answer')).toHaveAttribute(
      'data-state',
      'stopped',
    );
    expect(screen.getByTestId('rag-answer-text')).toHaveTextContent('Use a');
    expect(screen.getByTestId('rag-ask')).toBeEnabled();
  });

  it('says "Not found in the knowledge base", not an error, below the relevance threshold', async () => {
    const stream = controlledStream();
    renderPage('/knowledge', {
      api: fakeApi({ streamQuery: stream.streamQuery }),
    });
    await ask('What is the capital of Peru?');
    act(() => {
      stream.meta({
        id: 'answer-0002',
        collections: ['payments-runbooks'],
        cached: true,
      });
      stream.citations({ citations: [], notFound: true });
      stream.done(
        answer({
          id: 'answer-0002',
          question: 'What is the capital of Peru?',
          answer: '',
          citations: [],
          notFound: true,
          cached: true,
        }),
      );
    });
    const panel = await screen.findByTestId('rag-answer');
    await waitFor(() =>
      expect(panel).toHaveAttribute('data-state', 'notfound'),
    );
    expect(screen.getByTestId('rag-not-found')).toHaveTextContent(
      'Not found in the knowledge base',
    );
    expect(screen.getByTestId('rag-cached')).toHaveTextContent('from cache');
    expect(screen.queryByTestId('rag-answer-error')).not.toBeInTheDocument();
    // feedback is still welcome
    expect(screen.getByTestId('rag-feedback-up')).toBeInTheDocument();
  });

  it("shows the stream's error naming the upstream, and a refused question's message", async () => {
    const stream = controlledStream();
    renderPage('/knowledge', {
      api: fakeApi({ streamQuery: stream.streamQuery }),
    });
    await ask('How do I restart payments-api?');
    act(() => {
      stream.citations({ citations: [citation()], notFound: false });
      stream.error({
        message: 'Ollama did not answer within 30 s',
        upstream: 'ollama',
      });
    });
    const panel = await screen.findByTestId('rag-answer');
    await waitFor(() => expect(panel).toHaveAttribute('data-state', 'error'));
    const error = screen.getByTestId('rag-answer-error');
    expect(error).toHaveTextContent(
      'Ollama is unavailable: cannot answer the question right now',
    );
    expect(error).toHaveTextContent('Ollama did not answer within 30 s');
    // the sources found before the failure stay
    expect(screen.getByTestId('rag-citation-1')).toBeInTheDocument();

    // refused before streaming: the backend's 503 names Milvus
    await userEvent.click(screen.getByTestId('rag-ask'));
    act(() =>
      stream.fail(
        Object.assign(
          new Error(
            'Milvus is unavailable: connect ECONNREFUSED 127.0.0.1:19530',
          ),
          { statusCode: 503 },
        ),
      ),
    );
    await waitFor(() =>
      expect(screen.getByTestId('rag-answer-error')).toHaveTextContent(
        'Milvus is unavailable: cannot answer the question right now',
      ),
    );
    expect(screen.getByTestId('rag-answer-error')).toHaveTextContent(
      'connect ECONNREFUSED 127.0.0.1:19530',
    );
  });

  it('saves thumbs and then an optional comment', async () => {
    const stream = controlledStream();
    const api = fakeApi({ streamQuery: stream.streamQuery });
    renderPage('/knowledge', { api });
    await ask('How do I restart payments-api?');
    act(() => {
      stream.meta({
        id: 'answer-0001',
        collections: ['payments-runbooks'],
        cached: false,
      });
      stream.done(answer());
    });
    await userEvent.click(await screen.findByTestId('rag-feedback-down'));
    expect(api.putFeedback).toHaveBeenCalledWith('answer-0001', {
      rating: 'down',
    });
    await waitFor(() =>
      expect(screen.getByTestId('rag-feedback-down')).toHaveAttribute(
        'aria-pressed',
        'true',
      ),
    );
    await userEvent.type(
      screen.getByTestId('rag-feedback-comment'),
      'Cites the wrong runbook',
    );
    await userEvent.click(screen.getByTestId('rag-feedback-send'));
    expect(api.putFeedback).toHaveBeenLastCalledWith('answer-0001', {
      rating: 'down',
      comment: 'Cites the wrong runbook',
    });
    expect(
      await screen.findByText('Thanks for the feedback.'),
    ).toBeInTheDocument();
  });

  it('asks only the knowledge bases picked, and only those the user may query', async () => {
    const stream = controlledStream();
    const third = collection({ name: 'platform-docs', title: 'Platform docs' });
    const api = fakeApi({
      streamQuery: stream.streamQuery,
      listCollections: jest.fn(async () => [
        collection(),
        riskCollection,
        third,
      ]),
    });
    renderPage('/knowledge', {
      api,
      authorize: r =>
        r.permission.name === 'rag.query.run' &&
        (r as { resourceRef?: string }).resourceRef ===
          'rag-collection:risk-runbooks'
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    });
    const picker = await screen.findByTestId('rag-collection-picker');
    await waitFor(() =>
      expect(
        within(picker).getByTestId('rag-collection-option-platform-docs'),
      ).toBeChecked(),
    );
    expect(
      within(picker).queryByTestId('rag-collection-option-risk-runbooks'),
    ).not.toBeInTheDocument();
    await userEvent.click(within(picker).getByLabelText('Platform docs'));
    await ask('How do I restart payments-api?');
    expect(stream.streamQuery).toHaveBeenCalledWith(
      {
        question: 'How do I restart payments-api?',
        collections: ['payments-runbooks'],
      },
      expect.any(Object),
      expect.any(AbortSignal),
    );
    act(() => stream.done(answer()));
    // nothing picked: nothing to ask
    await waitFor(() =>
      expect(screen.getByTestId('rag-answer')).toHaveAttribute(
        'data-state',
        'done',
      ),
    );
    await userEvent.click(within(picker).getByLabelText('Payments runbooks'));
    await userEvent.type(screen.getByTestId('rag-question'), ' again');
    expect(screen.getByTestId('rag-ask')).toBeDisabled();
  });

  it('shows an answer of the history with its sources', async () => {
    const api = fakeApi({
      history: jest.fn(async () => [
        answer(),
        answer({
          id: 'answer-0000',
          question: 'Who owns payments-api?',
          answer: 'Team payments [1].',
          feedback: { rating: 'up', at: '2026-12-02T09:00:00.000Z' },
        }),
      ]),
    });
    renderPage('/knowledge', { api });
    const item = await screen.findByTestId('rag-history-item-answer-0000');
    expect(item).toHaveTextContent('Who owns payments-api?');
    expect(within(item).getByLabelText('rated helpful')).toBeInTheDocument();
    await userEvent.click(item);
    const panel = await screen.findByTestId('rag-answer');
    expect(panel).toHaveAttribute('data-state', 'done');
    expect(panel).toHaveAttribute('data-answer-id', 'answer-0000');
    expect(screen.getByTestId('rag-answer-text')).toHaveTextContent(
      'Team payments [1].',
    );
    expect(screen.getByTestId('rag-citation-1')).toBeInTheDocument();
    expect(screen.getByTestId('rag-feedback-up')).toHaveAttribute(
      'aria-pressed',
      'true',
    );
  });

  it('opens an answer from the URL, and says when it cannot', async () => {
    const api = fakeApi({
      history: jest.fn(async () => []),
      getAnswer: jest.fn(async () => {
        throw Object.assign(new Error('No answer answer-0404 of yours'), {
          statusCode: 404,
        });
      }),
    });
    renderPage('/knowledge?answer=answer-0404', { api });
    expect(
      await screen.findByText('Cannot show this answer: not found'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No answer answer-0404 of yours'),
    ).toBeInTheDocument();
  });

  it('offers to create a knowledge base when there is none', async () => {
    renderPage('/knowledge', {
      api: fakeApi({ listCollections: jest.fn(async () => []) }),
    });
    expect(
      await screen.findByText('No knowledge base yet'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Create a knowledge base').closest('a'),
    ).toHaveAttribute('href', '/knowledge/collections?new=1');
    expect(screen.getByText('Use the template').closest('a')).toHaveAttribute(
      'href',
      '/create/templates/default/rag-knowledge-base',
    );
  });

  it("says why the knowledge bases cannot be read (the backend's 503)", async () => {
    renderPage('/knowledge', {
      api: fakeApi({
        listCollections: jest.fn(async () => {
          throw Object.assign(new Error('MinIO did not answer within 10 s'), {
            statusCode: 503,
          });
        }),
      }),
    });
    expect(
      await screen.findByText(
        'MinIO is unavailable: cannot read the knowledge bases right now',
      ),
    ).toBeInTheDocument();
  });
});

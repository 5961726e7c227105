import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { IngestionProgressEvent } from '@kubemate/plugin-rag-common';
import type { UploadOptions } from '../../api';
import { document, fakeApi } from '../../__testUtils__/fixtures';
import { renderPage } from '../../__testUtils__/render';

const PAGE = '/knowledge/collections/payments-runbooks';

describe('CollectionDetail', () => {
  it('lists the documents with their state, chunks and errors', async () => {
    const api = fakeApi({
      listDocuments: jest.fn(async () => [
        document(),
        document({
          id: 'abcdef02',
          name: 'broken.pdf',
          status: 'failed',
          error: 'broken.pdf is not a readable PDF',
          chunksTotal: undefined,
          chunksDone: 0,
        }),
        document({
          id: 'abcdef03',
          name: 'scaling.md',
          status: 'embedding',
          chunksDone: 4,
          chunksTotal: 10,
        }),
      ]),
    });
    renderPage(PAGE, { api });
    const ready = await screen.findByTestId('rag-document-abcdef01');
    expect(ready).toHaveAttribute('data-status', 'ready');
    expect(ready).toHaveTextContent('ready · 8 chunks');
    expect(ready).toHaveTextContent('2 KiB');
    const failed = screen.getByTestId('rag-document-abcdef02');
    expect(failed).toHaveAttribute('data-status', 'failed');
    expect(failed).toHaveTextContent('broken.pdf is not a readable PDF');
    expect(screen.getByTestId('rag-document-abcdef03')).toHaveTextContent(
      'embedding 4/10 chunks',
    );
    // an unfinished document: the progress is followed
    await waitFor(() =>
      expect(api.watchIngestion).toHaveBeenCalledWith(
        'payments-runbooks',
        expect.any(Function),
        expect.any(AbortSignal),
      ),
    );
  });

  it('uploads files one at a time with a progress bar each, then follows their ingestion to ready', async () => {
    let progressOf: UploadOptions['onProgress'];
    let finishUpload: () => void = () => undefined;
    const uploaded = document({
      id: 'abcdef09',
      name: 'scaling.md',
      status: 'queued',
      chunksTotal: undefined,
      chunksDone: 0,
    });
    let emit: (e: IngestionProgressEvent) => void = () => undefined;
    let docs = [document()];
    const api = fakeApi({
      listDocuments: jest.fn(async () => docs),
      uploadDocument: jest.fn(
        (_c: string, _f: File, o?: UploadOptions) =>
          new Promise(resolve => {
            progressOf = o?.onProgress;
            finishUpload = () => resolve(uploaded);
          }),
      ),
      watchIngestion: jest.fn(
        (
          _c: string,
          on: (e: IngestionProgressEvent) => void,
          signal?: AbortSignal,
        ) =>
          new Promise<void>((_res, rej) => {
            emit = on;
            signal?.addEventListener('abort', () =>
              rej(Object.assign(new Error('aborted'), { name: 'AbortError' })),
            );
          }),
      ),
    });
    renderPage(PAGE, { api });
    const input = await screen.findByTestId('rag-upload-input');
    await waitFor(() => expect(input).toBeEnabled());
    const good = new File(['# Scaling\n'.repeat(50)], 'scaling.md', {
      type: 'text/markdown',
    });
    const big = new File(['x'.repeat(2048)], 'huge.md', {
      type: 'text/markdown',
    });
    const image = new File(['png'], 'diagram.png', { type: 'image/png' });
    fireEvent.change(input, { target: { files: [good, big, image] } });

    // refused before sending, with the messages the backend gives (the limit is 1 KiB here)
    expect(
      await screen.findByTestId('rag-upload-progress-huge.md'),
    ).toHaveAttribute('data-state', 'failed');
    expect(screen.getByTestId('rag-upload-progress-huge.md')).toHaveTextContent(
      'huge.md is 2 KiB, more than the upload limit of 1 KiB',
    );
    expect(
      screen.getByTestId('rag-upload-progress-diagram.png'),
    ).toHaveTextContent('diagram.png: unsupported file type');
    await waitFor(() => expect(api.uploadDocument).toHaveBeenCalledTimes(1));
    expect(api.uploadDocument).toHaveBeenCalledWith(
      'payments-runbooks',
      good,
      expect.objectContaining({ signal: expect.any(AbortSignal) }),
    );

    const row = screen.getByTestId('rag-upload-progress-scaling.md');
    expect(row).toHaveAttribute('data-state', 'uploading');
    act(() => progressOf?.(good.size / 2, good.size));
    expect(row).toHaveTextContent('Uploading 50 %');
    expect(within(row).getByRole('progressbar')).toHaveAttribute(
      'aria-valuenow',
      '50',
    );

    docs = [uploaded, document()];
    await act(async () => finishUpload());
    await waitFor(() => expect(row).toHaveAttribute('data-state', 'ingesting'));
    expect(row).toHaveTextContent('Queued for ingestion');
    await waitFor(() => expect(api.watchIngestion).toHaveBeenCalled());

    const event = {
      collection: 'payments-runbooks',
      documentId: 'abcdef09',
      name: 'scaling.md',
    };
    act(() =>
      emit({ ...event, status: 'embedding', chunksDone: 3, chunksTotal: 10 }),
    );
    expect(row).toHaveTextContent('Embedding 3/10 chunks');
    expect(within(row).getByRole('progressbar')).toHaveAttribute(
      'aria-valuenow',
      '30',
    );
    expect(screen.getByTestId('rag-document-abcdef09')).toHaveAttribute(
      'data-status',
      'embedding',
    );

    docs = [
      document({
        ...uploaded,
        status: 'ready',
        chunksDone: 10,
        chunksTotal: 10,
      }),
      document(),
    ];
    const reads = api.listDocuments.mock.calls.length;
    act(() =>
      emit({ ...event, status: 'ready', chunksDone: 10, chunksTotal: 10 }),
    );
    await waitFor(() => expect(row).toHaveAttribute('data-state', 'ready'));
    expect(row).toHaveTextContent('Ready · 10 chunks');
    // the list is re-read, and the stream closes once nothing is left to follow
    await waitFor(() =>
      expect(api.listDocuments.mock.calls.length).toBeGreaterThan(reads),
    );
    await waitFor(() =>
      expect(screen.getByTestId('rag-document-abcdef09')).toHaveAttribute(
        'data-status',
        'ready',
      ),
    );
    const signal = api.watchIngestion.mock.calls[0][2] as AbortSignal;
    await waitFor(() => expect(signal.aborted).toBe(true));
  });

  const embedding = document({
    status: 'embedding',
    chunksDone: 1,
    chunksTotal: 4,
  });

  it('reconnects a dropped progress stream after re-reading the documents', async () => {
    const api = fakeApi({
      listDocuments: jest.fn(async () => [embedding]),
      watchIngestion: jest
        .fn()
        // the backend restarted: the stream ends
        .mockResolvedValueOnce(undefined)
        .mockImplementation(() => new Promise<void>(() => undefined)),
    });
    renderPage(PAGE, { api });
    await screen.findByTestId('rag-document-abcdef01');
    await waitFor(() => expect(api.watchIngestion).toHaveBeenCalledTimes(2));
    // re-read, as a document may have finished meanwhile
    expect(api.listDocuments.mock.calls.length).toBeGreaterThanOrEqual(2);
  });

  it('does not retry a progress stream the backend refuses', async () => {
    const api = fakeApi({
      listDocuments: jest.fn(async () => [embedding]),
      watchIngestion: jest.fn(async () => {
        throw Object.assign(
          new Error('You are not allowed rag.collection.read'),
          { statusCode: 403 },
        );
      }),
    });
    renderPage(PAGE, { api });
    expect(
      await screen.findByText('You may not follow the ingestion'),
    ).toBeInTheDocument();
    // a retry would come 1 s after the failure: wait past it, then check none came
    await new Promise(r => setTimeout(r, 1500));
    expect(api.watchIngestion).toHaveBeenCalledTimes(1);
  });

  it("shows an upload refused by the backend with its message, and a failed ingestion's error", async () => {
    let emit: (e: IngestionProgressEvent) => void = () => undefined;
    const api = fakeApi({
      uploadDocument: jest
        .fn()
        .mockRejectedValueOnce(
          Object.assign(new Error('empty.md is empty'), { statusCode: 400 }),
        )
        .mockResolvedValueOnce(
          document({ id: 'abcdef0a', name: 'scan.pdf', status: 'queued' }),
        ),
      watchIngestion: jest.fn(
        (_c: string, on: (e: IngestionProgressEvent) => void) =>
          new Promise<void>(() => {
            emit = on;
          }),
      ),
    });
    renderPage(PAGE, { api });
    const input = await screen.findByTestId('rag-upload-input');
    await waitFor(() => expect(input).toBeEnabled());
    fireEvent.change(input, {
      target: {
        files: [
          new File([' '], 'empty.md', { type: 'text/markdown' }),
          new File(['%PDF'], 'scan.pdf', { type: 'application/pdf' }),
        ],
      },
    });
    const empty = await screen.findByTestId('rag-upload-progress-empty.md');
    await waitFor(() => expect(empty).toHaveAttribute('data-state', 'failed'));
    expect(empty).toHaveTextContent('empty.md is empty');
    const scan = screen.getByTestId('rag-upload-progress-scan.pdf');
    await waitFor(() =>
      expect(scan).toHaveAttribute('data-state', 'ingesting'),
    );
    await waitFor(() => expect(api.watchIngestion).toHaveBeenCalled());
    act(() =>
      emit({
        collection: 'payments-runbooks',
        documentId: 'abcdef0a',
        name: 'scan.pdf',
        status: 'failed',
        chunksDone: 0,
        error: 'scan.pdf has no text (a scanned PDF?)',
      }),
    );
    await waitFor(() => expect(scan).toHaveAttribute('data-state', 'failed'));
    expect(scan).toHaveTextContent('scan.pdf has no text (a scanned PDF?)');
  });

  it('re-indexes and deletes a document after confirming', async () => {
    const api = fakeApi();
    renderPage(PAGE, { api });
    const reindex = await screen.findByTestId('rag-document-reindex-abcdef01');
    await waitFor(() => expect(reindex).toBeEnabled());
    await userEvent.click(reindex);
    expect(api.reindexDocument).toHaveBeenCalledWith(
      'payments-runbooks',
      'abcdef01',
    );
    await userEvent.click(screen.getByTestId('rag-document-delete-abcdef01'));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent(
      'restart.md, its passages and its original are deleted',
    );
    await userEvent.click(within(dialog).getByTestId('rag-confirm'));
    await waitFor(() =>
      expect(api.deleteDocument).toHaveBeenCalledWith(
        'payments-runbooks',
        'abcdef01',
      ),
    );
  });

  it('deletes the knowledge base only once its name is typed', async () => {
    const api = fakeApi();
    renderPage(PAGE, { api });
    const del = await screen.findByTestId('rag-delete-collection');
    await waitFor(() => expect(del).toBeEnabled());
    await userEvent.click(del);
    const dialog = await screen.findByRole('dialog');
    const confirm = within(dialog).getByTestId('rag-confirm');
    expect(confirm).toBeDisabled();
    await userEvent.type(
      within(dialog).getByTestId('rag-delete-name'),
      'payments-runbook',
    );
    expect(confirm).toBeDisabled();
    await userEvent.type(within(dialog).getByTestId('rag-delete-name'), 's');
    await userEvent.click(confirm);
    await waitFor(() =>
      expect(api.deleteCollection).toHaveBeenCalledWith('payments-runbooks'),
    );
    // back to the list
    expect(await screen.findByText('Knowledge bases (2)')).toBeInTheDocument();
  });

  it('edits title, description and sharing', async () => {
    const api = fakeApi();
    renderPage(PAGE, { api });
    const edit = await screen.findByTestId('rag-edit-collection');
    await waitFor(() => expect(edit).toBeEnabled());
    await userEvent.click(edit);
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).queryByTestId('rag-collection-name'),
    ).not.toBeInTheDocument();
    const title = within(dialog).getByTestId('rag-collection-title');
    await userEvent.clear(title);
    await userEvent.type(title, 'Payments runbooks (prod)');
    await userEvent.type(
      within(dialog).getByTestId('rag-collection-shared'),
      'team-risk{Enter}',
    );
    await userEvent.click(within(dialog).getByTestId('rag-collection-submit'));
    await waitFor(() =>
      expect(api.updateCollection).toHaveBeenCalledWith('payments-runbooks', {
        title: 'Payments runbooks (prod)',
        description: 'How to run payments-api',
        sharedWith: ['group:default/team-risk'],
        entityRefs: ['component:default/payments-api'],
      }),
    );
  });

  it('disables every action the user may not take, with the reason', async () => {
    renderPage(PAGE, {
      api: fakeApi(),
      authorize: r =>
        r.permission.name === 'rag.collection.read' ||
        r.permission.name === 'rag.query.run'
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
    });
    await screen.findByTestId('rag-document-abcdef01');
    for (const id of [
      'rag-reindex-all',
      'rag-edit-collection',
      'rag-delete-collection',
      'rag-upload',
      'rag-document-reindex-abcdef01',
      'rag-document-delete-abcdef01',
    ]) {
      await waitFor(() => expect(screen.getByTestId(id)).toBeDisabled());
    }
    expect(screen.getByTestId('rag-upload-input')).toBeDisabled();
    await userEvent.hover(
      screen.getByTestId('rag-delete-collection').parentElement!,
    );
    expect(
      await screen.findByText(
        'You do not have the permission rag.collection.delete on payments-runbooks',
      ),
    ).toBeInTheDocument();
  });

  it('says when the knowledge base cannot be found', async () => {
    renderPage('/knowledge/collections/secret-runbooks', {
      api: fakeApi({
        getCollection: jest.fn(async () => {
          throw Object.assign(new Error('No knowledge base secret-runbooks'), {
            statusCode: 404,
          });
        }),
      }),
    });
    expect(
      await screen.findByText(
        'Cannot open the knowledge base secret-runbooks: not found',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No knowledge base secret-runbooks'),
    ).toBeInTheDocument();
  });
});
